package events

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// iamPrefix maps an SDK package to its IAM service prefix.
var iamPrefix = map[string]string{
	"cloudwatchlogs": "logs", "cloudwatch": "cloudwatch", "xray": "xray", "cloudtrail": "cloudtrail",
	"securityhub": "securityhub", "guardduty": "guardduty", "athena": "athena",
	"sns": "sns", "s3": "s3", "sqs": "sqs", "bedrockruntime": "bedrock",
}

// codeActions reads the IAM actions fa2's code calls from its source: every
// SDK operation input it builds (&xray.GetTraceSummariesInput{…}).
func codeActions(t *testing.T) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`&(\w+)\.(\w+)Input\{`)
	out := map[string]bool{}
	for _, dir := range []string{"../collectors/awslive", "../events", "../bedrock"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				prefix, ok := iamPrefix[m[1]]
				if !ok {
					continue
				}
				op := m[2]
				if prefix == "bedrock" {
					// Converse is authorised as InvokeModel.
					op = map[string]string{"Converse": "InvokeModel", "ConverseStream": "InvokeModelWithResponseStream"}[op]
				}
				out[prefix+":"+op] = true
			}
		}
	}
	if len(out) < 15 {
		t.Fatalf("found only %d actions in the code: the scan is broken", len(out))
	}
	return out
}

// templateActions collects the Action entries of the function's policies,
// both branches of every !If.
func templateActions(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile("../deploy/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the template is not YAML: %v", err)
	}
	get := func(n *yaml.Node, key string) *yaml.Node {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		return nil
	}
	fn := get(get(get(doc.Content[0], "Resources"), "Function"), "Properties")
	if get(fn, "Runtime").Value != "provided.al2023" || get(fn, "Architectures").Content[0].Value != "arm64" || get(fn, "Handler").Value != "bootstrap" {
		t.Fatal("the function must be provided.al2023 on arm64 with the bootstrap binary")
	}
	out := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			if a := get(n, "Action"); a != nil {
				if a.Kind == yaml.ScalarNode {
					out[a.Value] = true
				}
				for _, c := range a.Content {
					out[c.Value] = true
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(get(fn, "Policies"))
	if len(out) == 0 {
		t.Fatal("no actions in the function's policies")
	}
	return out
}

func TestTemplateGrantsExactlyWhatTheCodeCalls(t *testing.T) {
	code, tmpl := codeActions(t), templateActions(t)
	// Not granted to the function, on purpose: the SQS poller runs on
	// long-running hosts, and Athena needs your tables and buckets (add
	// the README's Athena statements when you configure athena.*).
	notInLambda := func(a string) bool { return strings.HasPrefix(a, "sqs:") || strings.HasPrefix(a, "athena:") }
	var extra, missing []string
	for a := range tmpl {
		if !code[a] {
			extra = append(extra, a)
		}
	}
	for a := range code {
		if !tmpl[a] && !notInLambda(a) {
			missing = append(missing, a)
		}
	}
	sort.Strings(extra)
	sort.Strings(missing)
	if len(extra) > 0 || len(missing) > 0 {
		t.Fatalf("template and code disagree:\n  granted but never called: %v\n  called but not granted: %v", extra, missing)
	}
	for _, a := range Actions {
		if !code[a] {
			t.Errorf("events.Actions lists %s, which the code does not call", a)
		}
	}
}
