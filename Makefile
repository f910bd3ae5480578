# The two commands of the README: `make demo` and `make test`.
.PHONY: demo test test-go e2e-deps build

demo:
	go run ./cmd/fa2 demo

# test installs the end-to-end test's npm packages, then runs every Go test,
# the end-to-end test with the MCP TypeScript client included.
test: e2e-deps
	go test ./...

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
