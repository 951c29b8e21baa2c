# syntax=docker/dockerfile:1
# DnsMcs image: multi-stage, native AOT build (the SDK's -aot image carries clang and the linker) -> chiseled
# runtime-deps (no shell, no package manager, no .NET runtime: the executable holds it; non-root "app" user 1654).
# Works with a read-only root filesystem: nothing is written outside /tmp, and only .NET's diagnostics endpoint
# uses /tmp (mount an emptyDir there, as deploy/ does).
#   docker build --build-arg GIT_REVISION=$(git rev-parse HEAD) -t dnsmcs .
#   docker run --rm -p 5353:53/udp -p 5353:53/tcp -p 9153:9153 -p 8080:8080 -p 8181:8181 dnsmcs
# Binding :53 as a non-root user: Docker and containerd 2 set net.ipv4.ip_unprivileged_port_start=0 in the
# container's network namespace; on Kubernetes the manifests set that sysctl for the pod (deploy/).

ARG DOTNET_VERSION=10.0

# Built on the target's own platform (emulated when it differs): native AOT compiles for the architecture it runs on.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble-aot AS build
# The commit `dnsmcs --version` and coredns_build_info's revision label report. .git is not in the build
# context (.dockerignore), so the SDK cannot read it there: pass it in. Left empty, the image has no revision.
ARG GIT_REVISION=
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
# The NuGet cache mount keeps restored packages between builds without baking them into a layer; copying
# all of src/ (rather than each .csproj first) keeps this file right when projects are added.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/DnsMcs/DnsMcs.csproj -c Release -o /app \
        ${GIT_REVISION:+"-p:SourceRevisionId=$GIT_REVISION"} \
    && rm -f /app/*.dbg /app/*.pdb

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled AS runtime
ARG GIT_REVISION=
LABEL org.opencontainers.image.revision="${GIT_REVISION}"
WORKDIR /app
COPY --from=build /app ./
# Explicit even though the chiseled image defaults to it: the manifests' runAsUser matches this uid.
USER 1654
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# DNS over UDP and TCP; Prometheus metrics; /health; /ready (CoreDNS's ports).
EXPOSE 53/udp 53/tcp 9153 8080 8181
ENTRYPOINT ["/app/dnsmcs", "serve"]
