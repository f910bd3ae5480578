package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/fa2/fa2/config"
	"github.com/fa2/fa2/tools"
)

// cmdRun calls one tool: its structured result goes to stdout as JSON (exit
// 0), a tool error to stderr (exit 1).
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 run", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	jsonArgs := fs.String("json", "{}", "tool arguments as a JSON `object`")
	text := fs.Bool("text", false, "print the compact text rendering instead of JSON")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: fa2 run TOOL [flags] --json '{...}'\n\nTools: %s\n\nFlags:\n", strings.Join(toolNames(), ", "))
		fs.PrintDefaults()
	}
	// The tool name comes first; flags follow it.
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if ok, code := parseFlags(fs, args, stderr); !ok {
			return code
		}
		fs.Usage()
		return 2
	}
	name := args[0]
	if ok, code := parseFlags(fs, args[1:], stderr); !ok {
		return code
	}
	tool, err := tools.Find(name)
	if err != nil {
		fmt.Fprintf(stderr, "fa2: %v\n", err)
		return 2
	}
	raw := json.RawMessage(*jsonArgs)
	if *jsonArgs == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return fail(stderr, err)
		}
		raw = b
	}
	if !json.Valid(raw) {
		fmt.Fprintf(stderr, "fa2: --json is not valid JSON: %s\n", *jsonArgs)
		return 2
	}
	env, err := cf.env(ctx, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	res, err := tool.Call(ctx, env, raw)
	if ctx.Err() != nil {
		// Whatever the tool returned, it did not finish its work.
		fmt.Fprintf(stderr, "fa2 run %s: interrupted\n", name)
		return exitInterrupted
	}
	if err != nil {
		return fail(stderr, err)
	}
	if res.IsError {
		fmt.Fprintf(stderr, "fa2 run %s: %s\n", name, resultText(res))
		return 1
	}
	if *text {
		fmt.Fprint(stdout, resultText(res))
		return 0
	}
	return printJSON(stdout, stderr, res.StructuredContent)
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(stderr, err)
	}
	return 0
}

func toolNames() []string {
	var names []string
	for _, t := range tools.Catalogue() {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	return names
}

// cmdTools lists the catalogue with schemas, as tools/list would.
func cmdTools(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 tools", flag.ContinueOnError)
	markdown := fs.Bool("markdown", false, "print the tool table of the README instead of the JSON schemas")
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *markdown {
		fmt.Fprint(stdout, tools.MarkdownTable())
		return 0
	}
	var list []mcp.Tool
	for _, t := range tools.Catalogue() {
		list = append(list, t.MCPTool())
	}
	return printJSON(stdout, stderr, map[string]any{"tools": list})
}

// cmdConfig prints the effective configuration with secrets masked.
func cmdConfig(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fa2 config", flag.ContinueOnError)
	var cf commonFlags
	cf.register(fs)
	keys := fs.Bool("keys", false, "list every configuration key with its environment variable")
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *keys {
		for _, k := range config.Keys() {
			fmt.Fprintf(stdout, "%-30s %-34s %s\n", k.Key, k.Env, k.Doc)
		}
		return 0
	}
	log, err := cf.logger(stderr)
	if err != nil {
		return fail(stderr, err)
	}
	cfg, err := cf.loadConfig(log)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprint(stdout, cfg.Masked())
	return 0
}
