package tools

import (
	"github.com/fa2/fa2/analysis"
	"github.com/fa2/fa2/bedrock"
	"github.com/fa2/fa2/knowledge/postmortem"
)

// SavePostmortem saves a finished analysis as a post-mortem draft in the
// knowledge folder when knowledge.save_reports is on, so the next similar
// incident finds it. Every front door that finishes an analysis calls it
// (RunAnalysis covers fa2 analyze, analyze_failure and alarm events; the
// Slack bridge calls it itself). Saving is a side benefit: a failure is
// logged at warn and never fails the analysis. An insight answers a
// question about metrics, not an incident, and is not saved.
func SavePostmortem(env *Env, r *analysis.Report) {
	if env == nil || env.Config == nil || r == nil || r.Mode == bedrock.ModeInsight {
		return
	}
	if r.Degraded != "" {
		// The engine's unconfirmed guess would come back from the
		// knowledge base as a past root cause: keep it out.
		env.Log.Info().Msg("no post-mortem draft: the analysis is degraded (the model failed)")
		return
	}
	path, err := postmortem.SaveIfConfigured(env.Config, r)
	if err != nil {
		env.Log.Warn().Err(err).Msg("the post-mortem draft was not saved (knowledge.save_reports); the analysis is unaffected")
		return
	}
	if path != "" {
		env.Log.Info().Str("path", path).Msg("post-mortem draft saved")
	}
}
