package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/diegoholiveira/jsonlogic/v3"
	"github.com/open-feature/go-sdk/openfeature"
)

// fileProvider evaluates flags in-process from the flagd flag file, what the
// flagd provider does with FLAGD_RESOLVER=in-process and
// FLAGD_OFFLINE_FLAG_SOURCE_PATH (how our services run natively, so the
// comparison evaluates flags the same way on both sides): JSONLogic targeting
// whose result names a variant, null meaning the default variant. The file is
// re-read when its modification time changes (polled every second).
type fileProvider struct {
	booleanOnly
	path   string
	flags  atomic.Pointer[map[string]fileFlag]
	stop   chan struct{}
	logger *slog.Logger
}

type fileFlag struct {
	State          string         `json:"state"`
	Variants       map[string]any `json:"variants"`
	DefaultVariant string         `json:"defaultVariant"`
	Targeting      any            `json:"targeting"`
}

func newFileProvider(path string, logger *slog.Logger) (*fileProvider, error) {
	p := &fileProvider{path: path, stop: make(chan struct{}), logger: logger}
	modified, err := p.load()
	if err != nil {
		return nil, err
	}
	go p.watch(modified)
	return p, nil
}

func (p *fileProvider) load() (time.Time, error) {
	info, err := os.Stat(p.path)
	if err != nil {
		return time.Time{}, err
	}
	raw, err := os.ReadFile(p.path)
	if err != nil {
		return time.Time{}, err
	}
	var file struct {
		Flags map[string]fileFlag `json:"flags"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", p.path, err)
	}
	p.flags.Store(&file.Flags)
	return info.ModTime(), nil
}

func (p *fileProvider) watch(modified time.Time) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			if info, err := os.Stat(p.path); err == nil && !info.ModTime().Equal(modified) {
				if m, err := p.load(); err != nil {
					p.logger.Warn("flag file not reloaded; keeping the last good one", "error", err)
				} else {
					modified = m
				}
			}
		}
	}
}

func (p *fileProvider) close() { close(p.stop) }

func (p *fileProvider) Metadata() openfeature.Metadata {
	return openfeature.Metadata{Name: "flagd-in-process"}
}
func (p *fileProvider) Hooks() []openfeature.Hook { return nil }

// resolve picks the variant for flag in the flattened evaluation context.
func (p *fileProvider) resolve(key string, flat openfeature.FlattenedContext) (any, openfeature.ProviderResolutionDetail) {
	flag, ok := (*p.flags.Load())[key]
	if !ok {
		return nil, failed(openfeature.NewFlagNotFoundResolutionError("flag not found: " + key))
	}
	if flag.State == "DISABLED" {
		return nil, failed(openfeature.NewGeneralResolutionError("flag disabled: " + key))
	}
	variant, reason := flag.DefaultVariant, openfeature.StaticReason
	if flag.Targeting != nil {
		data := make(map[string]any, len(flat)+1)
		for k, v := range flat {
			data[k] = v
		}
		data["$flagd"] = map[string]any{"flagKey": key, "timestamp": time.Now().Unix()}
		result, err := jsonlogic.ApplyInterface(flag.Targeting, data)
		if err != nil {
			return nil, failed(openfeature.NewParseErrorResolutionError(err.Error()))
		}
		reason = openfeature.DefaultReason
		switch r := result.(type) {
		case nil:
		case string:
			variant, reason = r, openfeature.TargetingMatchReason
		case bool:
			variant, reason = fmt.Sprint(r), openfeature.TargetingMatchReason
		default:
			return nil, failed(openfeature.NewParseErrorResolutionError(fmt.Sprintf("targeting returned %T", result)))
		}
	}
	value, ok := flag.Variants[variant]
	if !ok {
		return nil, failed(openfeature.NewGeneralResolutionError("no variant " + variant + " in " + key))
	}
	return value, openfeature.ProviderResolutionDetail{Reason: reason, Variant: variant}
}

func (p *fileProvider) BooleanEvaluation(_ context.Context, flag string, fallback bool, flat openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	value, detail := p.resolve(flag, flat)
	if detail.ResolutionError != (openfeature.ResolutionError{}) {
		return openfeature.BoolResolutionDetail{Value: fallback, ProviderResolutionDetail: detail}
	}
	b, ok := value.(bool)
	if !ok {
		return openfeature.BoolResolutionDetail{Value: fallback, ProviderResolutionDetail: failed(
			openfeature.NewTypeMismatchResolutionError(flag + " is not boolean"))}
	}
	return openfeature.BoolResolutionDetail{Value: b, ProviderResolutionDetail: detail}
}

var _ openfeature.FeatureProvider = (*fileProvider)(nil)
