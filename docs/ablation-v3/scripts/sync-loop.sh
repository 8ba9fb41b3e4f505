#!/usr/bin/env bash
# Runs sync-docs.sh every 10 minutes (log: /work/runs/abl3/sync.log). Stop it by its pid (/work/runs/abl3/sync.pid).
while true; do
  /work/runs/abl3/bin/sync-docs.sh "$@" >> /work/runs/abl3/sync.log 2>&1 || true
  sleep 600
done
