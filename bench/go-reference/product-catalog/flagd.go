package main

import (
	"context"
	"time"

	"github.com/open-feature/go-sdk/openfeature"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	evaluation "astroshop.local/go-reference/product-catalog/genproto/flagd/evaluation/v1"
)

// flagdProvider is an OpenFeature provider over flagd's evaluation API
// (flagd.evaluation.v1 ResolveBoolean), what the flagd provider's rpc resolver
// does: the original's default. The flagd Go provider itself is not served by
// the Go module proxy, hence this. A targeting flag (productCatalogFailure) is
// never cached by that resolver, so every GetProduct makes one call here too.
type flagdProvider struct {
	booleanOnly
	conn   *grpc.ClientConn
	client evaluation.ServiceClient
}

// evaluationTimeout bounds one call, like the provider's deadline.
const evaluationTimeout = 500 * time.Millisecond

func newFlagdProvider(addr string) (*flagdProvider, error) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return &flagdProvider{conn: conn, client: evaluation.NewServiceClient(conn)}, nil
}

func (p *flagdProvider) close() { _ = p.conn.Close() }

func (p *flagdProvider) Metadata() openfeature.Metadata {
	return openfeature.Metadata{Name: "flagd-rpc"}
}
func (p *flagdProvider) Hooks() []openfeature.Hook { return nil }

func (p *flagdProvider) BooleanEvaluation(ctx context.Context, flag string, fallback bool, flat openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	evalCtx, err := structpb.NewStruct(flat)
	if err != nil {
		return openfeature.BoolResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(
			openfeature.NewInvalidContextResolutionError(err.Error()))}
	}
	ctx, cancel := context.WithTimeout(ctx, evaluationTimeout)
	defer cancel()
	resp, err := p.client.ResolveBoolean(ctx, &evaluation.ResolveBooleanRequest{FlagKey: flag, Context: evalCtx})
	if status.Code(err) == codes.NotFound {
		return openfeature.BoolResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(
			openfeature.NewFlagNotFoundResolutionError(err.Error()))}
	}
	if err != nil {
		return openfeature.BoolResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(
			openfeature.NewGeneralResolutionError(err.Error()))}
	}
	return openfeature.BoolResolutionDetail{Value: resp.GetValue(), ProviderResolutionDetail: openfeature.ProviderResolutionDetail{
		Reason: openfeature.Reason(resp.GetReason()), Variant: resp.GetVariant(),
	}}
}

func failed(e openfeature.ResolutionError) openfeature.ProviderResolutionDetail {
	return openfeature.ProviderResolutionDetail{ResolutionError: e, Reason: openfeature.ErrorReason}
}

var _ openfeature.FeatureProvider = (*flagdProvider)(nil)
