package knowledge

import (
	"context"
	"fmt"
	"sync"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/fa2/fa2/config"
)

// cache keeps one searcher per configuration, so a server indexes its
// folder once and then only what changes.
var cache struct {
	mu sync.Mutex
	m  map[string]Searcher
}

// ErrNotConfigured is returned by ForConfig when neither knowledge.dir nor
// knowledge.bedrock_kb_id is set.
var ErrNotConfigured = fmt.Errorf("no knowledge base is configured")

// ForConfig returns the searcher of the settings: the local folder, the
// Bedrock knowledge base, or both.
func ForConfig(ctx context.Context, cfg *config.Config) (Searcher, error) {
	k := cfg.Knowledge
	if k.Dir == "" && k.BedrockKBID == "" {
		return nil, ErrNotConfigured
	}
	key := k.Dir + "\x00" + k.BedrockKBID + "\x00" + cfg.Region + "\x00" + cfg.Profile
	cache.mu.Lock()
	defer cache.mu.Unlock()
	if s, ok := cache.m[key]; ok {
		return s, nil
	}
	var m Multi
	if k.Dir != "" {
		l, err := NewLocal(k.Dir)
		if err != nil {
			return nil, err
		}
		m = append(m, l)
	}
	if k.BedrockKBID != "" {
		var opts []func(*awsconfig.LoadOptions) error
		if cfg.Region != "" {
			opts = append(opts, awsconfig.WithRegion(cfg.Region))
		}
		if cfg.Profile != "" {
			opts = append(opts, awsconfig.WithSharedConfigProfile(cfg.Profile))
		}
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("knowledge.bedrock_kb_id: load AWS configuration: %w", err)
		}
		m = append(m, NewBedrockKB(awsCfg, k.BedrockKBID))
	}
	var s Searcher = m
	if len(m) == 1 {
		s = m[0]
	}
	if cache.m == nil {
		cache.m = map[string]Searcher{}
	}
	cache.m[key] = s
	return s, nil
}

// CloseAll closes every searcher ForConfig opened, removing the temporary
// folders of their indexes. Call it when the process ends.
func CloseAll() {
	cache.mu.Lock()
	defer cache.mu.Unlock()
	var closeOne func(s Searcher)
	closeOne = func(s Searcher) {
		switch x := s.(type) {
		case *Local:
			x.Close()
		case Multi:
			for _, inner := range x {
				closeOne(inner)
			}
		}
	}
	for k, s := range cache.m {
		closeOne(s)
		delete(cache.m, k)
	}
}
