package tools

import (
	"context"
	"time"

	"github.com/fa2/fa2/investigate"
	"github.com/fa2/fa2/telemetry"
)

// maxInvestigateBudget is the largest bundle a call may ask for; the
// schema's maximum says the same.
const maxInvestigateBudget = 100000

// InvestigateInput is the input of investigate.
type InvestigateInput struct {
	AlarmName   string `json:"alarm_name,omitempty" jsonschema_description:"Alarm to investigate. Default: the alarms that fired."`
	Description string `json:"description,omitempty" jsonschema_description:"What people see, in words."`
	TimeRange
	Budget   int    `json:"budget,omitempty" jsonschema:"minimum=1000,maximum=100000" jsonschema_description:"Size in tokens (default 8000)."`
	Language string `json:"language,omitempty" jsonschema:"enum=en,enum=ja" jsonschema_description:"Language of the headings."`
}

// InvestigateOutput is the result of investigate: the evidence bundle. The
// bundle carries its own truncated flag, so the page stays out of the JSON.
type InvestigateOutput struct {
	*investigate.Bundle
	page Page
}

// Paging implements Result.
func (o *InvestigateOutput) Paging() *Page { return &o.page }

// Investigate is the investigate tool.
func Investigate() Tool {
	return New("investigate", "Investigate an incident",
		"Call first. One call reads every source around an alarm (or a window), compares it with the window before, and returns a ranked, cited evidence bundle: onset, suspect changes (likely/possible/unlikely, why), timeline, evidence E1… with the fa2 call reproducing each, gaps.",
		investigateTool)
}

func investigateTool(ctx context.Context, env *Env, in InvestigateInput) (*InvestigateOutput, error) {
	req, err := InvestigateRequest(ctx, env, in)
	if err != nil {
		return nil, err
	}
	b, err := investigate.Run(ctx, env.Sources, env.Config, req)
	if err != nil {
		return nil, err
	}
	return &InvestigateOutput{Bundle: b}, nil
}

// InvestigateRequest checks the input and resolves its window the way every
// tool does (RFC 3339 or relative times), for the tool and `fa2 investigate`.
func InvestigateRequest(ctx context.Context, env *Env, in InvestigateInput) (investigate.Request, error) {
	req := investigate.Request{AlarmName: in.AlarmName, Description: in.Description, Budget: in.Budget, Language: in.Language, Progress: ProgressFrom(ctx)}
	if in.Start != "" || in.End != "" {
		// An explicit window: resolve it like every tool, relative forms
		// included; a lone start or end gets a one-hour window.
		tr := in.TimeRange
		if tr.End == "" {
			tr.End = "now"
		}
		if tr.Start == "" {
			end, err := ParseTime(tr.End, env.Sources.Clock())
			if err != nil {
				return req, invalidTime("end", err)
			}
			tr.Start = end.Add(-time.Hour).Format(time.RFC3339)
		}
		w, err := tr.Window(env)
		if err != nil {
			return req, err
		}
		req.Window = w
	}
	if in.Budget > maxInvestigateBudget {
		return req, telemetry.Errorf(telemetry.KindInvalidInput, "budget %d is more than the %d tokens allowed.", in.Budget, maxInvestigateBudget).WithHint("A bundle is meant to fit a model's context beside its reasoning; use 8000 to 30000.")
	}
	if in.Budget < 0 || in.Budget != 0 && in.Budget < investigate.MinBudget {
		return req, telemetry.Errorf(telemetry.KindInvalidInput, "budget %d is below the %d tokens a bundle needs.", in.Budget, investigate.MinBudget).WithHint("Use a budget of at least 1000, or leave it out for 8000.")
	}
	if in.Budget > 100000 { // the schema's maximum
		return req, telemetry.Errorf(telemetry.KindInvalidInput, "budget %d is over the 100000 tokens a bundle may use.", in.Budget).WithHint("Use a budget of at most 100000, or leave it out for 8000.")
	}
	return req, nil
}

// Text is the bundle's Markdown.
func (o *InvestigateOutput) Text() string { return o.Bundle.Markdown() }

// Shrink drops chart points first, then the least important evidence.
func (o *InvestigateOutput) Shrink() bool {
	o.Bundle.Truncated = true
	if len(o.Charts) > 0 {
		o.Charts = nil
		return true
	}
	return halve(&o.Evidence)
}
