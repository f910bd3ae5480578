package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fa2.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPrecedenceFlagsOverEnvOverFileOverDefaults(t *testing.T) {
	path := writeFile(t, `
region: eu-west-1
language: ja
logs:
  groups: [/ecs/api, /aws/lambda/*]
athena:
  database: weblogs
limits:
  max_window: 2d
`)
	cfg, err := Load(Sources{
		File:    path,
		Environ: []string{"FA2_REGION=us-west-2", "FA2_ATHENA_DATABASE=fromenv", "HOME=/root"},
		Flags:   map[string]string{"region": "ap-northeast-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "ap-northeast-1" {
		t.Errorf("region = %q, want the flag's value", cfg.Region)
	}
	if cfg.Athena.Database != "fromenv" {
		t.Errorf("athena.database = %q, want env over file", cfg.Athena.Database)
	}
	if cfg.Language != "ja" {
		t.Errorf("language = %q, want the file's value", cfg.Language)
	}
	if got := strings.Join(cfg.Logs.Groups, ","); got != "/ecs/api,/aws/lambda/*" {
		t.Errorf("logs.groups = %q", got)
	}
	if time.Duration(cfg.Limits.MaxWindow) != 48*time.Hour {
		t.Errorf("limits.max_window = %v, want 48h", cfg.Limits.MaxWindow)
	}
	if cfg.Logs.MaxConcurrentQueries != 4 || !cfg.XRay.Enabled {
		t.Errorf("defaults lost: %+v %+v", cfg.Logs, cfg.XRay)
	}
}

func TestEnvListsAndBools(t *testing.T) {
	cfg, err := Load(Sources{File: writeFile(t, ""), Environ: []string{"FA2_LOGS_GROUPS=/a, /b ,", "FA2_XRAY_ENABLED=false", "FA2_LIMITS_MAX_OUTPUT_BYTES=5000"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.Logs.Groups, "|") != "/a|/b" || cfg.XRay.Enabled || cfg.Limits.MaxOutputBytes != 5000 {
		t.Errorf("got groups=%q xray=%v max=%d", cfg.Logs.Groups, cfg.XRay.Enabled, cfg.Limits.MaxOutputBytes)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	cases := []struct {
		name string
		src  Sources
		want string
	}{
		{"unknown file key", Sources{File: writeFile(t, "regoin: us-east-1\n")}, "regoin"},
		{"unknown nested key", Sources{File: writeFile(t, "athena:\n  databse: x\n")}, "databse"},
		{"bad language", Sources{File: writeFile(t, "language: fr\n")}, "language"},
		{"bad duration", Sources{File: writeFile(t, "limits:\n  max_window: soon\n")}, "soon"},
		{"bad env int", Sources{File: writeFile(t, ""), Environ: []string{"FA2_LOGS_MAX_CONCURRENT_QUERIES=many"}}, "FA2_LOGS_MAX_CONCURRENT_QUERIES"},
		{"bad env bool", Sources{File: writeFile(t, ""), Environ: []string{"FA2_XRAY_ENABLED=perhaps"}}, "FA2_XRAY_ENABLED"},
		{"athena backend without table", Sources{File: writeFile(t, "cloudtrail:\n  backend: athena\n")}, "cloudtrail.backend"},
		{"unknown backend", Sources{File: writeFile(t, "cloudtrail:\n  backend: s3\n")}, "cloudtrail.backend"},
		{"wildcard in middle", Sources{File: writeFile(t, "logs:\n  groups: [/a*/b]\n")}, "logs.groups"},
		{"output location", Sources{File: writeFile(t, "athena:\n  output_location: bucket/x\n")}, "athena.output_location"},
		{"missing explicit file", Sources{File: filepath.Join(t.TempDir(), "nope.yaml")}, "nope.yaml"},
		{"unknown flag key", Sources{File: writeFile(t, ""), Flags: map[string]string{"colour": "red"}}, "colour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.src)
			if err == nil {
				t.Fatalf("want an error naming %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
		})
	}
}

func TestUnknownEnvIsAWarning(t *testing.T) {
	var warnings []string
	_, err := Load(Sources{File: writeFile(t, ""), Environ: []string{"FA2_REGOIN=x", "FA2_HTTP_TOKEN_FILE=/tmp/t"},
		NotConfig: []string{"FA2_HTTP_TOKEN_FILE"}, Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "FA2_REGOIN") {
		t.Errorf("warnings = %q, want one naming FA2_REGOIN", warnings)
	}
}

func TestMissingDefaultFileIsFine(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	cfg, err := Load(Sources{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Language != "en" {
		t.Errorf("language = %q, want the default", cfg.Language)
	}
	// With fa2.yaml present in the working directory, it is read.
	if err := os.WriteFile(DefaultFile, []byte("language: ja\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = Load(Sources{})
	if err != nil || cfg.Language != "ja" {
		t.Fatalf("fa2.yaml in the working directory not read: %v %+v", err, cfg)
	}
}

func TestMaskedHidesSecretsOnly(t *testing.T) {
	cfg, err := Load(Sources{File: writeFile(t, "slack:\n  bot_token: xoxb-very-secret\n  channel: C123\n"), Environ: []string{"FA2_HTTP_TOKEN=hunter2"}})
	if err != nil {
		t.Fatal(err)
	}
	out := cfg.Masked()
	for _, secret := range []string{"xoxb-very-secret", "hunter2"} {
		if strings.Contains(out, secret) {
			t.Errorf("masked output leaks %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "C123") || !strings.Contains(out, "***") {
		t.Errorf("masked output lost non-secret values or the mask:\n%s", out)
	}
	if cfg.Slack.BotToken != "xoxb-very-secret" {
		t.Error("Masked changed the configuration itself")
	}
}

func TestKeysDocumentEveryField(t *testing.T) {
	keys := Keys()
	seen := map[string]bool{}
	for _, k := range keys {
		if k.Doc == "" {
			t.Errorf("key %s has no doc tag", k.Key)
		}
		seen[k.Key] = true
	}
	for _, want := range []string{"region", "athena.alb_table", "guardduty.detector_id", "slack.signing_secret", "http.token"} {
		if !seen[want] {
			t.Errorf("key %s missing", want)
		}
	}
	if EnvName("athena.alb_table") != "FA2_ATHENA_ALB_TABLE" {
		t.Errorf("EnvName = %s", EnvName("athena.alb_table"))
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"90m": 90 * time.Minute, "36h": 36 * time.Hour, "7d": 7 * 24 * time.Hour, "1.5d": 36 * time.Hour} {
		got, err := ParseDuration(in)
		if err != nil || time.Duration(got) != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "-1d", "soon", "7 days"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}
