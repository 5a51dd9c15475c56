# cachetsync in a container: a static binary on distroless, run as non-root.
#   docker build -t cachetsync --build-arg VERSION=v1.2.3 .
#   docker run --rm -v "$PWD:/work" -e CACHET_ENDPOINT -e CACHET_API_TOKEN cachetsync plan status.yaml
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
ARG COMMIT=""
ARG DATE=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w \
        -X github.com/cachetsync/cachetsync/internal/cli.buildVersion=${VERSION} \
        -X github.com/cachetsync/cachetsync/internal/cli.buildCommit=${COMMIT} \
        -X github.com/cachetsync/cachetsync/internal/cli.buildDate=${DATE}" \
      -o /out/cachetsync .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cachetsync /usr/local/bin/cachetsync
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/cachetsync"]
