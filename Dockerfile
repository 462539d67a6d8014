# syntax=docker/dockerfile:1
# One recipe for every service host; the build arguments pick which app goes into the image:
#
#   docker build -t analytics-collector \
#     --build-arg PROJECT=src/Analytics.Host.Collector/Analytics.Host.Collector.csproj \
#     --build-arg APP_NAME=Analytics.Host.Collector .
#
# PROJECT   the .csproj to publish (required)
# APP_NAME  its assembly name, i.e. the published <APP_NAME>.dll the container runs (required)
#
# The final image is the stock ASP.NET runtime (glibc, so native libraries such as librdkafka work), runs as the
# image's non-root `app` user, listens on 8080 and answers health probes with infra/docker/healthcheck.sh (bash and
# /dev/tcp: the runtime image has neither curl nor wget, and installing one is not worth a package layer).
# Tags are pinned to the .NET 10 line; pin a digest (image@sha256:...) where builds must be bit-for-bit repeatable.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
ARG APP_NAME
ARG CONFIGURATION=Release
RUN test -n "$PROJECT" && test -n "$APP_NAME" || \
    { echo "build with --build-arg PROJECT=src/<Host>/<Host>.csproj --build-arg APP_NAME=<Host>" >&2; exit 1; }
WORKDIR /src
COPY . .
# The NuGet cache survives between builds, so an edit to the code does not download every package again.
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore "$PROJECT"
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish "$PROJECT" --no-restore -c "$CONFIGURATION" -o /app -p:UseAppHost=false \
 && { test -f "/app/$APP_NAME.dll" || { echo "/app/$APP_NAME.dll not published: check APP_NAME" >&2; exit 1; }; }

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
ARG APP_NAME
ENV APP_DLL="${APP_NAME}.dll" \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1
WORKDIR /app
COPY --from=build /app ./
COPY --chmod=0755 infra/docker/healthcheck.sh /usr/local/bin/healthcheck
# APP_UID is the stock image's non-root `app` user (1654).
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["healthcheck"]
# exec: dotnet becomes PID 1 and gets SIGTERM directly, so hosted services drain on `docker stop`.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/$APP_DLL\" \"$@\"", "--"]
