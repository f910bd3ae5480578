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
