// A Go product-catalog written from the original demo's specification (spec
// §2.6 and §10), as a yardstick for the CPU our TypeScript product-catalog
// spends per request (bench/go-compare.ts). The original's own source is not
// reachable from here, so this is a reference built from its description:
// grpc-go with the otelgrpc stats handler (health filtered), PostgreSQL through
// database/sql + otelsql (SQL commenter, no cache: one query per request),
// productCatalogFailure evaluated by OpenFeature against flagd on GetProduct,
// OTLP gRPC traces, metrics and logs (otelslog), Go runtime metrics.
// Bench only: nothing in the stack runs it.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/open-feature/go-sdk/openfeature"
	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	pb "astroshop.local/go-reference/product-catalog/genproto/oteldemo"
)

type config struct {
	listen    string
	dsn       string
	poolMax   int
	flagdAddr string
	// flagResolver is FLAGD_RESOLVER: "rpc" (the original's default) or
	// "in-process" (from flagFile, how our services run natively).
	flagResolver string
	flagFile     string
	logLevel     slog.Level
	telemetry    bool
}

// loadConfig reads the same variables as our service (and the original's).
func loadConfig() (config, error) {
	c := config{
		listen:       net.JoinHostPort(env("LISTEN_HOST", ""), env("PRODUCT_CATALOG_PORT", "3550")),
		dsn:          os.Getenv("DB_CONNECTION_STRING"),
		flagdAddr:    net.JoinHostPort(env("FLAGD_HOST", "127.0.0.1"), env("FLAGD_PORT", "8013")),
		telemetry:    os.Getenv("OTEL_SDK_DISABLED") != "true",
		flagResolver: env("FLAGD_RESOLVER", "rpc"),
		flagFile:     os.Getenv("FLAGD_OFFLINE_FLAG_SOURCE_PATH"),
	}
	switch {
	case c.flagResolver != "rpc" && c.flagResolver != "in-process":
		return c, fmt.Errorf("FLAGD_RESOLVER must be rpc or in-process, got %q", c.flagResolver)
	case c.flagResolver == "in-process" && c.flagFile == "":
		return c, errors.New("FLAGD_RESOLVER=in-process needs FLAGD_OFFLINE_FLAG_SOURCE_PATH (the flag file)")
	}
	if c.dsn == "" {
		return c, errors.New("DB_CONNECTION_STRING is required (postgres://user:pass@host:port/db)")
	}
	pool, err := strconv.Atoi(env("DB_POOL_MAX", "4"))
	if err != nil || pool < 1 {
		return c, fmt.Errorf("DB_POOL_MAX must be a positive integer, got %q", os.Getenv("DB_POOL_MAX"))
	}
	c.poolMax = pool
	if err := c.logLevel.UnmarshalText([]byte(env("LOG_LEVEL", "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL: %w", err)
	}
	return c, nil
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "product-catalog:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	shutdownTelemetry := func(context.Context) error { return nil }
	if cfg.telemetry {
		if shutdownTelemetry, err = startTelemetry(ctx); err != nil {
			return err
		}
	}
	logger := slog.New(levelHandler{otelslog.NewHandler("product-catalog"), cfg.logLevel})

	db, err := openCatalogDB(cfg.dsn, cfg.poolMax)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		logger.Warn("Database not reachable yet", "error", err)
	} else {
		logger.Info("Database connection established")
	}

	flags, err := newFlagProvider(cfg, logger)
	if err != nil {
		return err
	}
	defer flags.close()
	if err := openfeature.SetProvider(flags); err != nil {
		return fmt.Errorf("openfeature: %w", err)
	}

	server := grpc.NewServer(grpc.StatsHandler(otelgrpc.NewServerHandler(
		otelgrpc.WithFilter(filters.Not(filters.HealthCheck())),
	)))
	pb.RegisterProductCatalogServiceServer(server, &catalog{
		store:  &store{db: db},
		flags:  openfeature.NewClient("product-catalog"),
		logger: logger,
	})
	healthpb.RegisterHealthServer(server, health.NewServer())
	reflection.Register(server)

	listener, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	logger.Info("product-catalog listening", "address", listener.Addr().String())
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	select {
	case err = <-served:
	case <-ctx.Done():
		server.GracefulStop()
	}
	flush, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(err, shutdownTelemetry(flush))
}

type flagProvider interface {
	openfeature.FeatureProvider
	close()
}

func newFlagProvider(cfg config, logger *slog.Logger) (flagProvider, error) {
	if cfg.flagResolver == "in-process" {
		return newFileProvider(cfg.flagFile, logger)
	}
	return newFlagdProvider(cfg.flagdAddr)
}

// levelHandler drops records below LOG_LEVEL before they reach the OTLP bridge.
type levelHandler struct {
	slog.Handler
	level slog.Level
}

func (h levelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}
func (h levelHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return levelHandler{h.Handler.WithAttrs(a), h.level}
}
func (h levelHandler) WithGroup(n string) slog.Handler {
	return levelHandler{h.Handler.WithGroup(n), h.level}
}
