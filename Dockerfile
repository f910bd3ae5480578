# fa2 for long-running hosts (ECS, a VM): the MCP server (fa2 serve --http),
# the Slack bridge or the alarm-event poller (fa2 events). Static binary on
# distroless, running as the non-root user; no shell, no package manager.
#
#   docker build -t fa2 .
#   docker run --rm -e FA2_EVENTS_QUEUE_URL=... -e FA2_OUTPUT_SNS_TOPIC_ARN=... fa2 events
#
# Secrets (FA2_SLACK_BOT_TOKEN, FA2_HTTP_TOKEN, …) come from the task's
# environment: on ECS, the task definition's "secrets" (valueFrom a Secrets
# Manager ARN), never baked into the image.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/fa2 ./cmd/fa2

# PDFs need TrueType fonts: DejaVu for Latin text, IPA Gothic for Japanese.
FROM debian:bookworm-slim AS fonts
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-ipafont-gothic && rm -rf /var/lib/apt/lists/*

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=fonts /usr/share/fonts/truetype/dejavu /usr/share/fonts/truetype/dejavu
COPY --from=fonts /usr/share/fonts/opentype/ipafont-gothic /usr/share/fonts/opentype/ipafont-gothic
COPY --from=build /out/fa2 /usr/local/bin/fa2
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/fa2"]
CMD ["serve", "--http", "0.0.0.0:8080"]
