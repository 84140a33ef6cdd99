package io.costguard.baseline;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which workload a pod belongs to, from its name alone: a Deployment's pods are {@code <name>-<template hash>-<5>},
 * a StatefulSet's {@code <name>-<ordinal>}. Prometheus series carry the pod name, so one query per namespace serves
 * every workload in it without asking the Kubernetes API for pods.
 */
public final class WorkloadPods {
    /**
     * A Deployment's pod name, the Deployment's name as the group: RE2 for Prometheus' label_replace (anchored there)
     * and Java's {@code matches} alike, so the operator and Prometheus split pods the same way.
     */
    static final String DEPLOYMENT_POD_RE = "(.+)-[a-z0-9]{1,10}-[a-z0-9]{5}";
    /** A StatefulSet's pod name, the StatefulSet's name as the group. */
    static final String STATEFULSET_POD_RE = "(.+)-[0-9]+";

    private static final Pattern DEPLOYMENT_POD = Pattern.compile(DEPLOYMENT_POD_RE);
    private static final Pattern STATEFULSET_POD = Pattern.compile(STATEFULSET_POD_RE);

    private WorkloadPods() {}

    /** The Deployment a pod with this name would belong to. */
    public static Optional<String> deployment(String pod) {
        Matcher m = DEPLOYMENT_POD.matcher(pod);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The StatefulSet a pod with this name would belong to. */
    public static Optional<String> statefulSet(String pod) {
        Matcher m = STATEFULSET_POD.matcher(pod);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Key of a workload in a namespace's lookup: kind and name. */
    public static String key(String kind, String name) {
        return kind + "/" + name;
    }

    /** A regular expression (RE2, for {@code pod=~"..."}) matching exactly the workload's pod names. */
    public static String regex(String kind, String name) {
        String quoted = name.replace(".", "\\\\.");
        return "StatefulSet".equals(kind) ? quoted + "-[0-9]+" : quoted + "-[a-z0-9]{1,10}-[a-z0-9]{5}";
    }
}
