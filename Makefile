# The two commands of the README: `make demo` and `make test`.
.PHONY: demo test test-go e2e-deps build fuzz

demo:
	go run ./cmd/fa2 demo

# test installs the end-to-end test's npm packages, then runs every Go test,
# the end-to-end test with the MCP TypeScript client included, under the
# race detector and in a shuffled order (so tests cannot depend on each
# other's leftovers).
test: e2e-deps
	go test -race -shuffle=on -timeout 30m ./...

# fuzz runs every fuzz target briefly beyond its seed corpus (the seeds
# already run in make test). The budget is a count of executions, not a
# duration: Go 1.26's fuzzer can fail a duration run with a bare "context
# deadline exceeded" when its time runs out on a busy machine (golang/go
# issue 75804, fixed in Go 1.27), with nothing found. FUZZTIME=1m make fuzz
# for a longer look.
FUZZTIME ?= 20000x
fuzz:
	@grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do \
	  pkg=./$$(dirname "$$f"); \
	  for fn in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' "$$f" | sed 's/func //'); do \
	    echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
	    go test "$$pkg" -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -timeout 10m >/tmp/fa2-fuzz.log 2>&1 || { cat /tmp/fa2-fuzz.log; exit 1; }; \
	  done; \
	done

e2e-deps:
	npm ci --prefix e2e --no-audit --no-fund --loglevel=error

build:
	go build -o fa2 ./cmd/fa2

# package builds the Lambda zip for deploy/template.yaml: the bootstrap
# binary for provided.al2023 on arm64, plus a TrueType font for PDFs (Lambda
# has none): FONT=/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf for
# Japanese reports (IPA Gothic covers Latin text too).
FONT ?= /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
.PHONY: package
package:
	@test -f "$(FONT)" || { echo "make package: no font at $(FONT); install fonts-dejavu-core or set FONT=path/to/font.ttf"; exit 1; }
	rm -rf dist && mkdir -p dist/lambda/fonts
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath -tags lambda.norpc -ldflags "-s -w" -o dist/lambda/bootstrap ./cmd/fa2
	cp "$(FONT)" dist/lambda/fonts/report.ttf
	cd dist/lambda && zip -q -r ../fa2-lambda.zip bootstrap fonts
	@echo "dist/fa2-lambda.zip: deploy with sam deploy --guided --template-file deploy/template.yaml"
