package main

import (
	"context"

	"github.com/open-feature/go-sdk/openfeature"
)

// booleanOnly is embedded by both providers (flagd.go, flagfile.go): the
// service evaluates only a boolean flag, so every other type answers its
// default with a type-mismatch error.
type booleanOnly struct{}

var errOnlyBoolean = openfeature.NewTypeMismatchResolutionError("this reference evaluates boolean flags only")

func (booleanOnly) StringEvaluation(_ context.Context, _ string, fallback string, _ openfeature.FlattenedContext) openfeature.StringResolutionDetail {
	return openfeature.StringResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(errOnlyBoolean)}
}
func (booleanOnly) FloatEvaluation(_ context.Context, _ string, fallback float64, _ openfeature.FlattenedContext) openfeature.FloatResolutionDetail {
	return openfeature.FloatResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(errOnlyBoolean)}
}
func (booleanOnly) IntEvaluation(_ context.Context, _ string, fallback int64, _ openfeature.FlattenedContext) openfeature.IntResolutionDetail {
	return openfeature.IntResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(errOnlyBoolean)}
}
func (booleanOnly) ObjectEvaluation(_ context.Context, _ string, fallback any, _ openfeature.FlattenedContext) openfeature.InterfaceResolutionDetail {
	return openfeature.InterfaceResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(errOnlyBoolean)}
}
