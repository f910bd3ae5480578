package knowledge

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // registers the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// mixedAnalyzer handles English and Japanese in one field: Unicode word
// segmentation, full-width folding, lower case, CJK character bigrams,
// English stop words and Porter stemming (which leaves CJK tokens alone).
const mixedAnalyzer = "fa2_mixed"

// extensions are the files indexed; others in the folder are ignored.
var extensions = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".text": true}

// maxFileBytes skips files too large to be a runbook (logs dropped in by mistake).
const maxFileBytes = 2 << 20

// Local is a folder of runbooks and post-mortems, indexed in memory. Each
// Search first looks for added, changed and removed files (at most once
// per RefreshEvery) and re-indexes only those. Safe for concurrent use.
type Local struct {
	dir string
	// RefreshEvery bounds how often Search walks the folder; 0 walks on
	// every search.
	RefreshEvery time.Duration

	mu        sync.Mutex
	index     bleve.Index
	tmp       string
	files     map[string]fileState // by path relative to dir
	refreshed time.Time
}

type fileState struct {
	size    int64
	modTime time.Time
}

// document is what is indexed per file.
type document struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// NewLocal indexes dir. A missing folder is an error that names it.
func NewLocal(dir string) (*Local, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("knowledge.dir %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("knowledge.dir %s is not a folder", dir)
	}
	// The index lives in a private temporary folder: scorch, bleve's
	// segment-based index, is many times faster than its in-memory store
	// for both indexing and search. It is rebuilt at each start.
	tmp, err := os.MkdirTemp("", "fa2-knowledge-")
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(filepath.Join(tmp, "index"), indexMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("knowledge index: %w", err)
	}
	l := &Local{dir: dir, index: idx, tmp: tmp, files: map[string]fileState{}, RefreshEvery: 2 * time.Second}
	if _, err := l.refresh(true); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func indexMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer(mixedAnalyzer, map[string]any{
		"type":          "custom",
		"tokenizer":     unicode.Name,
		"token_filters": []string{cjk.WidthName, lowercase.Name, cjk.BigramName, en.StopName, porter.Name},
	}); err != nil {
		panic(err) // the names above are registered by the imports
	}
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = mixedAnalyzer
		f.Store = true
		f.IncludeTermVectors = true
		return f
	}
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("body", text())
	m.DefaultMapping = doc
	m.DefaultAnalyzer = mixedAnalyzer
	return m
}

// Refresh re-indexes what changed in the folder and reports how many files
// were added, changed or removed.
func (l *Local) Refresh() (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refresh(true)
}

// refresh walks the folder (unless it did so within RefreshEvery and force
// is false) and updates the index. Callers hold l.mu.
func (l *Local) refresh(force bool) (int, error) {
	if !force && l.RefreshEvery > 0 && time.Since(l.refreshed) < l.RefreshEvery {
		return 0, nil
	}
	seen := map[string]bool{}
	batch := l.index.NewBatch()
	changed := 0
	err := filepath.WalkDir(l.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != l.dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !extensions[strings.ToLower(filepath.Ext(path))] {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > maxFileBytes {
			return nil
		}
		rel, _ := filepath.Rel(l.dir, path)
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		st := fileState{info.Size(), info.ModTime()}
		if old, ok := l.files[rel]; ok && old == st {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil // unreadable now; tried again next time
		}
		if err := batch.Index(rel, parseDocument(rel, string(b))); err != nil {
			return err
		}
		l.files[rel] = st
		changed++
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("index knowledge.dir %s: %w", l.dir, err)
	}
	for rel := range l.files {
		if !seen[rel] {
			batch.Delete(rel)
			delete(l.files, rel)
			changed++
		}
	}
	if batch.Size() > 0 {
		if err := l.index.Batch(batch); err != nil {
			return 0, err
		}
	}
	l.refreshed = time.Now()
	return changed, nil
}

// Close releases the index and removes its temporary folder.
func (l *Local) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.index.Close()
	os.RemoveAll(l.tmp)
	return err
}

// Documents is how many files are indexed.
func (l *Local) Documents() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.files)
}

// parseDocument takes the title from front matter ("title:"), the first
// Markdown heading, or the file name, in that order.
func parseDocument(rel, text string) document {
	body := text
	title := ""
	if strings.HasPrefix(text, "---\n") {
		if end := strings.Index(text[4:], "\n---"); end >= 0 {
			front := text[4 : 4+end]
			body = text[4+end+4:]
			for _, line := range strings.Split(front, "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "title" {
					title = strings.Trim(strings.TrimSpace(v), `"'`)
				}
			}
		}
	}
	if title == "" {
		sc := bufio.NewScanner(strings.NewReader(body))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "# ") {
				title = strings.TrimSpace(line[2:])
				break
			}
		}
	}
	if title == "" {
		title = strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel))
	}
	return document{Title: title, Body: body}
}

// Search implements Searcher over the folder.
func (l *Local) Search(ctx context.Context, q string, limit int) ([]Result, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, fmt.Errorf("the query is empty")
	}
	if limit <= 0 {
		limit = 5
	}
	l.mu.Lock()
	_, err := l.refresh(false)
	l.mu.Unlock()
	if err != nil {
		return nil, err
	}
	title := bleve.NewMatchQuery(q)
	title.SetField("title")
	title.SetBoost(2)
	body := bleve.NewMatchQuery(q)
	body.SetField("body")
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery([]query.Query{title, body}), limit, 0, false)
	req.Fields = []string{"title", "body"}
	req.Highlight = bleve.NewHighlight()
	req.Highlight.AddField("body")
	res, err := l.index.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search knowledge.dir: %w", err)
	}
	out := make([]Result, 0, len(res.Hits))
	for _, h := range res.Hits {
		r := Result{Path: h.ID, Score: h.Score, Source: "local"}
		r.Title, _ = h.Fields["title"].(string)
		if frags := h.Fragments["body"]; len(frags) > 0 {
			r.Passage = cleanFragment(frags[0])
		} else if b, ok := h.Fields["body"].(string); ok {
			r.Passage = clip(strings.Join(strings.Fields(b), " "), 300)
		}
		out = append(out, r)
	}
	sortResults(out)
	return out, nil
}

// cleanFragment turns a highlighted fragment into plain text with the
// matched terms in **bold**, on one line.
func cleanFragment(f string) string {
	f = strings.ReplaceAll(f, "<mark>", "**")
	f = strings.ReplaceAll(f, "</mark>", "**")
	f = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(f)
	return clip(strings.Join(strings.Fields(f), " "), 400)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
