package io.ibreid.core.natives;

import io.ibreid.core.IbreidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which native build to load and why: the outcome of {@link #choose}, a pure function of the CPU's flags, the user's
 * explicit request (if any) and which builds' jars are on the class path.
 *
 * @param build    the build to load
 * @param reason   one line saying why, for {@code ibreid doctor --system} and the logs
 * @param explicit whether the user asked for it
 */
public record NativeChoice(NativeBuild build, String reason, boolean explicit) {

  /**
   * Chooses the native build.
   *
   * <p>Without a request ({@code null}, blank or {@code auto}) the most capable build that the CPU can run and whose
   * jar is on the class path wins: oneDNN AVX-512 when the CPU has AVX-512 F, BW, DQ and VL; else oneDNN AVX2 when
   * it has AVX, AVX2 and FMA; else the plain build. A request names one build ({@code onednn-avx512},
   * {@code onednn-avx2}, {@code plain}, or a JavaCPP extension such as {@code -onednn-avx2}) and wins, unless the
   * CPU lacks one of the build's flags or its jar is missing: then this throws an {@link IbreidException} whose
   * one-line message names the missing flags or jar. When the CPU's flags could not be read ({@code cpuKnown}
   * false) a request is taken as it is, and {@code auto} chooses the plain build.
   *
   * @param cpuFlags      the CPU's flags, as in {@code /proc/cpuinfo}
   * @param cpuKnown      whether {@code cpuFlags} were read (false: nothing is known about the CPU)
   * @param request       the user's request, or null
   * @param requestSource where the request came from, for messages (e.g. {@code IBREID_NATIVE})
   * @param onClassPath   whether a build's jar is on the class path
   */
  public static NativeChoice choose(Set<String> cpuFlags, boolean cpuKnown, String request, String requestSource,
      Predicate<NativeBuild> onClassPath) {
    if (request != null && !request.isBlank() && !request.trim().equalsIgnoreCase("auto")) {
      NativeBuild wanted = NativeBuild.parse(request);
      if (wanted == null) {
        throw new IbreidException(requestSource + "=" + request.trim() + ": unknown native build, expected one of "
            + NativeBuild.choices());
      }
      List<String> missing = wanted.missing(cpuFlags);
      if (cpuKnown && !missing.isEmpty()) {
        throw new IbreidException(requestSource + "=" + request.trim() + ": the " + wanted.id()
            + " native build needs CPU flags this CPU lacks: " + String.join(", ", missing)
            + " (remove the setting, or use auto, to let ibreid choose)");
      }
      if (!onClassPath.test(wanted)) {
        throw new IbreidException(requestSource + "=" + request.trim() + ": the " + wanted.id()
            + " native build is not on the class path (add " + wanted.artifact() + ", e.g. with " + wanted.backend()
            + " or io.ibreid:ibreid-backend-cpu)");
      }
      return new NativeChoice(wanted, "asked for by " + requestSource + "=" + request.trim()
          + (cpuKnown ? "" : " (CPU flags unknown: not checked)"), true);
    }
    List<String> passedOver = new ArrayList<>();
    for (NativeBuild b : NativeBuild.values()) {
      if (b == NativeBuild.PLAIN) {
        break;
      }
      List<String> missing = b.missing(cpuFlags);
      if (!cpuKnown) {
        passedOver.add(b.id() + ": CPU flags unknown");
      } else if (!missing.isEmpty()) {
        passedOver.add(b.id() + ": CPU lacks " + String.join(", ", missing));
      } else if (!onClassPath.test(b)) {
        passedOver.add(b.id() + ": CPU can run it, but its jar is not on the class path");
      } else {
        String why = "CPU has " + String.join(", ", b.requiredFlags().subList(
            b == NativeBuild.ONEDNN_AVX512 ? 3 : 0, b.requiredFlags().size()));
        return new NativeChoice(b, "auto: " + why + suffix(passedOver), false);
      }
    }
    return new NativeChoice(NativeBuild.PLAIN, "auto: no oneDNN build fits" + suffix(passedOver), false);
  }

  private static String suffix(List<String> passedOver) {
    return passedOver.isEmpty() ? "" : " (passed over " + String.join("; ", passedOver) + ")";
  }
}
