package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/XSAM/otelsql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/open-feature/go-sdk/openfeature"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "astroshop.local/go-reference/product-catalog/genproto/oteldemo"
)

const flagFailureMessage = "Error: Product Catalog Fail Feature Flag Enabled"

type catalog struct {
	pb.UnimplementedProductCatalogServiceServer
	store  *store
	flags  *openfeature.Client
	logger *slog.Logger
}

func (c *catalog) ListProducts(ctx context.Context, _ *pb.Empty) (*pb.ListProductsResponse, error) {
	products, err := c.store.list(ctx)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "failed to load products: %v", err)
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.Int("demo.product.count", len(products)))
	c.logger.InfoContext(ctx, fmt.Sprintf("Found %d products from database", len(products)), "products", len(products))
	return &pb.ListProductsResponse{Products: products}, nil
}

func (c *catalog) GetProduct(ctx context.Context, req *pb.GetProductRequest) (*pb.Product, error) {
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(attribute.String("demo.product.id", req.GetId()))

	// Targetless: flagd's targeting rule reads product_id (spec §3).
	failing, _ := c.flags.BooleanValue(ctx, "productCatalogFailure", false,
		openfeature.NewTargetlessEvaluationContext(map[string]any{"product_id": req.GetId()}))
	if failing {
		span.SetStatus(otelcodes.Error, flagFailureMessage)
		span.AddEvent(flagFailureMessage)
		return nil, status.Error(codes.Internal, flagFailureMessage)
	}

	product, err := c.store.get(ctx, req.GetId())
	if err != nil {
		return nil, status.Errorf(codes.Internal, "failed to load product %s: %v", req.GetId(), err)
	}
	if product == nil {
		return nil, status.Errorf(codes.NotFound, "Product Not Found: %s", req.GetId())
	}
	found := []attribute.KeyValue{
		attribute.String("demo.product.id", product.Id), attribute.String("demo.product.name", product.Name),
	}
	span.AddEvent("Product Found", trace.WithAttributes(found...))
	span.SetAttributes(found...)
	c.logger.InfoContext(ctx, "Product Found", "demo.product.id", product.Id, "demo.product.name", product.Name)
	return product, nil
}

func (c *catalog) SearchProducts(ctx context.Context, req *pb.SearchProductsRequest) (*pb.SearchProductsResponse, error) {
	results, err := c.store.search(ctx, req.GetQuery())
	if err != nil {
		return nil, status.Errorf(codes.Internal, "failed to search products: %v", err)
	}
	trace.SpanFromContext(ctx).SetAttributes(attribute.Int("demo.product.search.count", len(results)))
	return &pb.SearchProductsResponse{Results: results}, nil
}

// openCatalogDB opens catalog.products through otelsql: db spans with
// db.system.name=postgresql, the traceparent as an SQL comment, DB stats metrics.
func openCatalogDB(dsn string, poolMax int) (*sql.DB, error) {
	// The SQL commenter makes every statement's text unique, so pgx's default
	// prepared-statement cache would only churn; "exec" sends each query as an
	// unnamed statement in one round trip (what node-postgres does for ours).
	if !strings.Contains(dsn, "default_query_exec_mode") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dsn += sep + "default_query_exec_mode=exec"
	}
	system := otelsql.WithAttributes(attribute.String("db.system.name", "postgresql"))
	db, err := otelsql.Open("pgx", dsn, system, otelsql.WithSQLCommenter(true))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(poolMax)
	db.SetMaxIdleConns(poolMax)
	if _, err := otelsql.RegisterDBStatsMetrics(db, system); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

const columns = "id, name, description, picture, price_currency_code, price_units, price_nanos, categories"

// store reads catalog.products on every call (the original has no cache).
type store struct{ db *sql.DB }

func (s *store) list(ctx context.Context) ([]*pb.Product, error) {
	return s.query(ctx, "SELECT "+columns+" FROM catalog.products ORDER BY id")
}

func (s *store) get(ctx context.Context, id string) (*pb.Product, error) {
	p, err := scanProduct(s.db.QueryRowContext(ctx, "SELECT "+columns+" FROM catalog.products WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

func (s *store) search(ctx context.Context, query string) ([]*pb.Product, error) {
	pattern := "%" + strings.ToLower(query) + "%"
	return s.query(ctx, "SELECT "+columns+" FROM catalog.products"+
		" WHERE LOWER(name) LIKE $1 OR LOWER(description) LIKE $1 ORDER BY id", pattern)
}

func (s *store) query(ctx context.Context, q string, args ...any) ([]*pb.Product, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var products []*pb.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, err
		}
		products = append(products, p)
	}
	return products, rows.Err()
}

func scanProduct(row interface{ Scan(...any) error }) (*pb.Product, error) {
	var description, picture, categories sql.NullString
	p := &pb.Product{PriceUsd: &pb.Money{}}
	err := row.Scan(&p.Id, &p.Name, &description, &picture,
		&p.PriceUsd.CurrencyCode, &p.PriceUsd.Units, &p.PriceUsd.Nanos, &categories)
	if err != nil {
		return nil, err
	}
	p.Description, p.Picture = description.String, picture.String
	for _, c := range strings.Split(categories.String, ",") {
		if c = strings.TrimSpace(c); c != "" {
			p.Categories = append(p.Categories, c)
		}
	}
	return p, nil
}
