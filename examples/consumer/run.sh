#!/usr/bin/env bash
# Build and test this project, then run its main with the runtime class path Maven resolves.
set -euo pipefail
mvn -B verify
mvn -B -q dependency:build-classpath -DincludeScope=runtime -DexcludeTypes=pom \
  -Dmdep.outputFile=target/runtime-classpath.txt
# OMP_NUM_THREADS=1: the tiny model's ops are too small for OpenMP threads (leave it out for a real model)
OMP_NUM_THREADS=1 java -Xmx2g -cp "target/classes:$(cat target/runtime-classpath.txt)" com.example.reid.TrainAndEmbed \
  target/work
