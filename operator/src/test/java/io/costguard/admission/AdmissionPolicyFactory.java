package io.costguard.admission;

import java.time.Clock;

/** Policies for tests outside this package: the built-in rules as configured by default, over an empty cluster. */
public final class AdmissionPolicyFactory {
    private AdmissionPolicyFactory() {}

    public static AdmissionPolicy plain() {
        return AdmissionFixturesTest.policy(new StaticCluster(), Clock.systemUTC(), AdmissionNotices.NONE);
    }
}
