package io.ibreid.cli;

import io.ibreid.core.config.RunConfig;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The data set a run command reads: the run's own ({@code data.*}) unless --dataset/--root/--trial say otherwise. */
final class RunData {
  private RunData() {}

  /** The data set type: {@code dataset} when given, else the run's {@code data.type}. */
  static String type(RunConfig config, String dataset) {
    return dataset == null ? config.data.type : dataset;
  }

  static CrossModalSource open(RunConfig config, String dataset, Path root, Integer trial) {
    String type = type(config, dataset);
    Path dir = root == null ? Path.of(config.data.root) : root;
    Map<String, Object> params = new LinkedHashMap<>();
    if (type.equals(config.data.type) && config.data.params != null) {
      params.putAll(config.data.params);
    }
    if (trial != null) {
      params.put("trial", trial);
    }
    return DataSources.open(type, dir, params, Math.max(1, config.data.workers));
  }

  static boolean isRegdb(String type) {
    return type.endsWith("regdb");
  }
}
