package io.costguard.admission;

/** Where the webhook records what it let through or noticed: break-glass uses and audit-mode violations, as Events. */
public interface AdmissionNotices {
    void breakGlassUsed(AdmissionRequest request, String reason, String message);

    void labelsMissing(AdmissionRequest request, String message);

    AdmissionNotices NONE = new AdmissionNotices() {
        @Override
        public void breakGlassUsed(AdmissionRequest request, String reason, String message) {}

        @Override
        public void labelsMissing(AdmissionRequest request, String message) {}
    };
}
