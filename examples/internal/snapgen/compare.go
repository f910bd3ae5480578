package snapgen

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CompareTree checks the files a generator wrote under generated against
// the committed copies under committed, byte for byte, for the tests that
// keep committed snapshots and their generators in step. problems says
// which files are generated but not committed or differ; files lists every
// generated file relative to generated, so a caller can also look for
// committed files that are no longer generated.
func CompareTree(generated, committed string) (files, problems []string, err error) {
	err = filepath.WalkDir(generated, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(generated, path)
		if err != nil {
			return err
		}
		files = append(files, rel)
		want, err := os.ReadFile(filepath.Join(committed, rel))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s is generated but not committed: %v", rel, err))
			return nil
		}
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			problems = append(problems, rel+" differs from what the generator writes")
		}
		return nil
	})
	return files, problems, err
}
