package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultFile is read from the working directory when no --config is given.
const DefaultFile = "fa2.yaml"

// EnvPrefix starts every environment variable fa2 reads.
const EnvPrefix = "FA2_"

// Sources says where configuration comes from; see Load.
type Sources struct {
	// File is the YAML file named by --config. When empty, DefaultFile is
	// read if it exists.
	File string
	// Environ is the process environment, as os.Environ returns it.
	Environ []string
	// Flags are values given on the command line, by key ("region",
	// "logs.groups"). They win over everything else.
	Flags map[string]string
	// NotConfig lists FA2_* variables that are not configuration keys (such
	// as FA2_HTTP_TOKEN_FILE) and must not be reported as unknown.
	NotConfig []string
	// Warn receives problems that do not stop fa2, such as an FA2_*
	// variable that is no setting (likely a typo, but it may belong to a
	// wrapper script). Nil discards them.
	Warn func(msg string)
}

// Load builds the effective configuration: defaults, then the file, then
// FA2_* variables, then flags, and validates it.
func Load(src Sources) (*Config, error) {
	cfg := Default()
	path, required := src.File, true
	if path == "" {
		path, required = DefaultFile, false
	}
	if err := loadFile(&cfg, path, required); err != nil {
		return nil, err
	}
	keys := fieldsByKey(&cfg)
	if err := applyEnv(keys, src.Environ, src.NotConfig, src.Warn); err != nil {
		return nil, err
	}
	flagKeys := make([]string, 0, len(src.Flags))
	for k := range src.Flags {
		flagKeys = append(flagKeys, k)
	}
	sort.Strings(flagKeys)
	for _, k := range flagKeys {
		f, ok := keys[k]
		if !ok {
			return nil, fmt.Errorf("flag sets unknown configuration key %q", k)
		}
		if err := setField(f.value, src.Flags[k]); err != nil {
			return nil, fmt.Errorf("flag for %s: %w", k, err)
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func loadFile(cfg *Config, path string, required bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: %w (see `fa2 config --keys` for the known keys)", path, err)
	}
	return nil
}

// field is one configuration key.
type field struct {
	key    string
	value  reflect.Value
	secret bool
	doc    string
}

// fieldsByKey maps "athena.database" style keys to the fields of cfg.
func fieldsByKey(cfg *Config) map[string]field {
	out := map[string]field{}
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			key := prefix + sf.Tag.Get("yaml")
			fv := v.Field(i)
			if sf.Type.Kind() == reflect.Struct {
				walk(fv, key+".")
				continue
			}
			out[key] = field{key: key, value: fv, secret: sf.Tag.Get("secret") == "true", doc: sf.Tag.Get("doc")}
		}
	}
	walk(reflect.ValueOf(cfg).Elem(), "")
	return out
}

// EnvName is the environment variable of a key.
func EnvName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func applyEnv(keys map[string]field, environ, notConfig []string, warn func(string)) error {
	byEnv := map[string]field{}
	for _, f := range keys {
		byEnv[EnvName(f.key)] = f
	}
	ignored := map[string]bool{}
	for _, n := range notConfig {
		ignored[n] = true
	}
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, EnvPrefix) || ignored[name] {
			continue
		}
		f, ok := byEnv[name]
		if !ok {
			if warn != nil {
				warn(fmt.Sprintf("environment variable %s is not a fa2 setting and is ignored (see `fa2 config --keys`)", name))
			}
			continue
		}
		if err := setField(f.value, value); err != nil {
			return fmt.Errorf("environment variable %s: %w", name, err)
		}
	}
	return nil
}

// setField parses s into v according to v's type. Lists are comma-separated.
func setField(v reflect.Value, s string) error {
	if u, ok := v.Addr().Interface().(interface{ UnmarshalText([]byte) error }); ok {
		return u.UnmarshalText([]byte(s))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		v.SetInt(int64(n))
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	case reflect.Slice:
		var items []string
		for _, part := range strings.Split(s, ",") {
			if p := strings.TrimSpace(part); p != "" {
				items = append(items, p)
			}
		}
		v.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported setting type %s", v.Type())
	}
	return nil
}

// Keys lists every configuration key with its environment variable and
// description, sorted by key.
func Keys() []KeyDoc {
	cfg := Default()
	var out []KeyDoc
	for _, f := range fieldsByKey(&cfg) {
		out = append(out, KeyDoc{Key: f.key, Env: EnvName(f.key), Doc: f.doc, Secret: f.secret})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// KeyDoc documents one key.
type KeyDoc struct {
	Key, Env, Doc string
	Secret        bool
}

// Masked returns the configuration as YAML with secrets replaced by "***"
// (or left empty when unset, so users can see that they are missing).
func (c *Config) Masked() string {
	cp := *c
	for _, f := range fieldsByKey(&cp) {
		if f.secret && f.value.String() != "" {
			f.value.SetString("***")
		}
	}
	out, err := yaml.Marshal(&cp)
	if err != nil {
		return fmt.Sprintf("error: %v", err)
	}
	return string(out)
}
