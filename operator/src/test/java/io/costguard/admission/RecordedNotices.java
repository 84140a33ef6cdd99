package io.costguard.admission;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Notices kept in memory for tests: the reasons of break-glass uses and the audit-mode messages, in order. */
final class RecordedNotices implements AdmissionNotices {
    final List<String> breakGlass = new CopyOnWriteArrayList<>();
    final List<String> labelsMissing = new CopyOnWriteArrayList<>();

    @Override
    public void breakGlassUsed(AdmissionRequest request, String reason, String message) {
        breakGlass.add(reason);
    }

    @Override
    public void labelsMissing(AdmissionRequest request, String message) {
        labelsMissing.add(message);
    }
}
