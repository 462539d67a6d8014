#!/usr/bin/env bash
# Creates the pipeline's Kafka topics and (re)applies their settings. Idempotent: run it on every deploy.
# In docker-compose it runs once in the `kafka-init` service; elsewhere:
#
#   BOOTSTRAP_SERVERS=broker1:9092 REPLICATION_FACTOR=3 MIN_INSYNC_REPLICAS=2 infra/kafka/topics.sh
#
# (Not KAFKA_* names: the Kafka tools read some KAFKA_* variables themselves.)
#
# Why these numbers: see infra/kafka/README.md.
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
bin="${KAFKA_TOOLS:-/opt/kafka/bin}"
replication="${REPLICATION_FACTOR:-1}"
min_isr="${MIN_INSYNC_REPLICAS:-1}"

# topic  partitions  config (comma-separated key=value; a list value is written a+b, e.g. cleanup.policy=compact+delete)
topics=(
  # Raw events (identifying fields sealed by the collector). Kept one day at most: segments roll hourly so that
  # retention can actually delete them (it only drops closed segments).
  "analytics.raw.v1 12 retention.ms=86400000,segment.ms=3600000,min.insync.replicas=${min_isr},cleanup.policy=delete,unclean.leader.election.enable=false"
  # Batch cut journal of the anonymizer group (offset ranges only, no event data): lets a replay cut batches at the
  # same offsets so deduplication tokens match (docs/kafka.md). Kept longer than the raw topic.
  "analytics.cuts.v1 3 retention.ms=604800000,segment.ms=86400000,min.insync.replicas=${min_isr},cleanup.policy=delete"
  # Daily raw-data keys (crypto-shredding of the raw topic), each sealed under Privacy:MasterKey. One partition
  # ("earliest proposal of a day wins" needs one order). Compacted: a destroyed day's tombstone removes its sealed key
  # once the segment holding the tombstone has rolled (segment.ms) and the cleaner ran (max.compaction.lag.ms);
  # tombstones themselves go after delete.retention.ms. Also deleted by time (4 days) as a hard bound.
  "analytics.rawkeys.v1 1 cleanup.policy=compact+delete,retention.ms=345600000,segment.ms=600000,min.compaction.lag.ms=0,max.compaction.lag.ms=3600000,min.cleanable.dirty.ratio=0.01,delete.retention.ms=3600000,min.insync.replicas=${min_isr},unclean.leader.election.enable=false"
  # Dead letters (no identifiers): kept 14 days to look into and replay.
  "analytics.dlq.v1 3 retention.ms=1209600000,segment.ms=86400000,min.insync.replicas=${min_isr},cleanup.policy=delete,unclean.leader.election.enable=false"
)

for i in $(seq 1 30); do
  "$bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" >/dev/null 2>&1 && break
  [[ $i == 30 ]] && { echo "topics.sh: no broker at $bootstrap" >&2; exit 1; }
  sleep 2
done

for spec in "${topics[@]}"; do
  read -r name partitions config <<<"$spec"
  create_args=()
  IFS=',' read -ra pairs <<<"$config"
  for kv in "${pairs[@]}"; do create_args+=(--config "${kv//+/,}"); done

  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$replication" "${create_args[@]}"
  # --if-not-exists leaves an existing topic as it was: apply the settings explicitly so a changed value lands.
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics --entity-name "$name" \
    --add-config "$(sed -E 's/=([a-z]+)\+([a-z]+)/=[\1,\2]/g' <<<"$config")" >/dev/null

  current=$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic "$name" \
    | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -n1)
  if [[ -n "$current" && "$current" -lt "$partitions" ]]; then
    # Growing the partition count moves keys to other partitions (per-visitor order breaks for a moment): do it on
    # purpose, not from a deploy script.
    echo "topics.sh: $name has $current partitions, $partitions wanted; raise it by hand (kafka-topics.sh --alter)" >&2
  fi
  echo "topics.sh: $name ready ($partitions partitions, $config)"
done
