package config

// Knowledge configures runbooks and past incidents (search_knowledge).
type Knowledge struct {
	Dir         string `yaml:"dir" doc:"folder of Markdown/text runbooks and post-mortems, indexed locally"`
	BedrockKBID string `yaml:"bedrock_kb_id" doc:"Amazon Bedrock knowledge base id searched with Retrieve (optional)"`
	// SaveReports writes each finished analysis into Dir as a post-mortem
	// draft, so the next similar incident finds it.
	SaveReports bool   `yaml:"save_reports" doc:"save finished analyses into knowledge.dir as post-mortem drafts"`
	ReportsDir  string `yaml:"reports_dir" doc:"subfolder of knowledge.dir for saved drafts"`
	MaxResults  int    `yaml:"max_results" doc:"results search_knowledge returns when no limit is given"`
}

func defaultKnowledge() Knowledge { return Knowledge{ReportsDir: "postmortems", MaxResults: 5} }

// validate reports bad values through bad, naming the key.
func (s *Knowledge) validate(bad func(key, format string, args ...any)) {
	if s.SaveReports && s.Dir == "" {
		bad("knowledge.save_reports", "needs knowledge.dir: the folder to save post-mortem drafts in")
	}
	if s.MaxResults < 1 || s.MaxResults > 20 {
		bad("knowledge.max_results", "must be between 1 and 20, not %d", s.MaxResults)
	}
	if s.ReportsDir == "" || s.ReportsDir[0] == '/' || s.ReportsDir == ".." || len(s.ReportsDir) > 2 && s.ReportsDir[:3] == "../" {
		bad("knowledge.reports_dir", "must be a folder inside knowledge.dir, not %q", s.ReportsDir)
	}
}
