#!/usr/bin/env python3
"""Breaks each safety guard in turn and shows the property that should catch it failing (make mutants).

Each mutant replaces exact pieces of a planner's or a checker's source, runs the property test class, and expects
the named property to fail; the source is put back afterwards whatever happens. A mutant no property catches (or
whose guard text moved) fails the run.
"""
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

ROOT = pathlib.Path(__file__).resolve().parents[3]
DECIDE = "src/main/java/dev/etcdvm/operator/reconciler/decide/"
STATUS = "src/main/java/dev/etcdvm/operator/reconciler/status/"
PLAN = "src/main/java/dev/etcdvm/operator/reconciler/plan/"
PLANNER = "reconciler.decide.PlannerPropertiesTest"
PLANS = "reconciler.plan.PlanPropertiesTest"
READY = "reconciler.status.ReadyPropertiesTest"

# (guard, file, original, mutated, test class, property that must fail), or (guard, [edits], test class, property)
MUTANTS = [
    ("quorum guard on removals", DECIDE + "MembershipPlanner.java",
     "if (healthyAfter < MemberMatch.quorum(votersAfter)) {",
     "if (false && healthyAfter < MemberMatch.quorum(votersAfter)) {",
     PLANNER, "neverAVotersRemovalBelowQuorum"),
    ("healthy voters before a learner is added", DECIDE + "MembershipPlanner.java",
     'if (!sick.isEmpty()) {\n            return Optional.of(MembershipChange.waiting(ConditionReason.MembersNotHealthy.name(), "adding "',
     'if (false) {\n            return Optional.of(MembershipChange.waiting(ConditionReason.MembersNotHealthy.name(), "adding "',
     PLANNER, "aLearnerIsAddedOnlyBesideHealthyVotersAndNoOtherLearner"),
    ("no membership change while an alarm is raised", DECIDE + "MembershipPlanner.java",
     "if (!observed.etcd().alarmProblems().isEmpty()) {",
     "if (false) {",
     PLANNER, "aLearnerIsAddedOnlyBesideHealthyVotersAndNoOtherLearner"),
    ("a learner is promoted only once caught up", DECIDE + "MembershipPlanner.java",
     "if (!caughtUp) {",
     "if (false) {",
     PLANNER, "onlyAStartedCaughtUpLearnerIsPromotedAndOnlyBesideHealthyVoters"),
    ("healthy voters before a promotion", DECIDE + "MembershipPlanner.java",
     'if (!sick.isEmpty()) {\n                return Optional.of(MembershipChange.waiting(ConditionReason.MembersNotHealthy.name(), "promoting "',
     'if (false) {\n                return Optional.of(MembershipChange.waiting(ConditionReason.MembersNotHealthy.name(), "promoting "',
     PLANNER, "onlyAStartedCaughtUpLearnerIsPromotedAndOnlyBesideHealthyVoters"),
    ("leadership only to a healthy voter", DECIDE + "MembershipPlanner.java",
     ".filter(p -> p.etcd().map(e -> !e.learner() && e.healthy()).orElse(false)).findFirst();",
     ".filter(p -> p.etcd().map(e -> !e.learner()).orElse(false)).findFirst();",
     PLANNER, "leadershipMovesOnlyFromTheLeaderToAHealthyVoter"),
    ("freeze when another cluster's id answers", DECIDE + "ClusterPlanner.java",
     "if (!observed.etcd().foreignClusterIds().isEmpty()) {",
     "if (false) {",
     PLANNER, "nothingIsDoneWhileAnotherClustersIdAnswersOrTheClusterIsPaused"),
    ("a pause stops every action", DECIDE + "ClusterPlanner.java",
     'if (cluster.paused()) {\n            return Decision.paused("reconciliation is paused ("',
     'if (false) {\n            return Decision.paused("reconciliation is paused ("',
     PLANNER, "nothingIsDoneWhileAnotherClustersIdAnswersOrTheClusterIsPaused"),
    ("only machines that answered are provisioned", DECIDE + "ClusterPlanner.java",
     "if (facts.isEmpty()) {\n                continue;\n            }",
     "if (facts.isEmpty()) {\n                provision.put(name, plans.get(name));\n                continue;\n            }",
     PLANNER, "onlyMachinesThatAnsweredAreProvisioned"),
    # Ready has two guards against a possible data loss (the check and ClusterFacts.ready): both are broken.
    ("Ready never True with a possible data loss", [
        (STATUS + "ReadyCheck.java", "if (f.servesAsSpecified() && f.dataLossPossible().isPresent()) {",
         "if (false) {"),
        (STATUS + "ClusterFacts.java", "return servesAsSpecified() && dataLossPossible.isEmpty();",
         "return servesAsSpecified();")],
     READY, "readyIsNeverTrueWithDataLossFrozenInvalidOrBelowQuorum"),
    ("a membership change waits while its member's machine is provisioned", PLAN + "MembershipRule.java",
     ": provisionedNow(plan, change).map(",
     ": Optional.<String>empty().map(",
     PLANS, "neverTwoActionsOnOneMember"),
    ("a restart never shares a pass with its machine's provisioning", PLAN + "RestartRule.java",
     "d.restartPending() && !d.provisioningNeeded()",
     "d.restartPending()",
     PLANS, "neverTwoActionsOnOneMember"),
    ("a restart proves on the machine that it is this cluster's", PLAN + "RestartRule.java",
     "            before.add(new Precondition.OnMachine(",
     "            List.of(new Precondition.OnMachine(",
     PLANS, "everyActionOnAMachineProvesThereItIsThisClusters"),
    ("a restart waits until every member is healthy", PLAN + "RestartRule.java",
     "|| !members.stream().allMatch(EtcdMemberView::healthy)",
     "|| false",
     PLANS, "aRestartWaitsForHealthAndForItsSnapshot"),
    ("a version change waits for its snapshot", PLAN + "RestartRule.java",
     "if (versionChange && pass.cluster().getSpec().getBackup() != null) {",
     "if (false) {",
     PLANS, "aRestartWaitsForHealthAndForItsSnapshot"),
    ("no restart in a pass that changes the membership", PLAN + "RestartRule.java",
     "|| !(pass.decision().change() instanceof MembershipChange.None)) {",
     ") {",
     PLANS, "noRestartWhileTheMembershipIsChanging"),
    ("maintenance only in a plan that changes nothing else", PLAN + "MaintenanceRule.java",
     ": plan.actions().stream().anyMatch(MaintenanceRule::changesTheCluster)",
     ": false",
     PLANS, "maintenanceOnlyInAPlanThatChangesNothingElse"),
    ("an upgrade never skips a minor version (against what members run)", DECIDE + "Transitions.java",
     "if (running.isPresent() && running.get().skipsAMinorTo(wanted.get())) {",
     "if (false) {",
     PLANS, "aRestartNeverCrossesMoreThanOneMinorVersion"),
    # A pass that may not act plans nothing: the planner runs no rule, and the retire rule checks the mode as well.
    ("nothing planned while the pass may not act", [
        (PLAN + "PassPlanner.java", "if (pass.decision().mode().acts()) {", "if (true) {"),
        (PLAN + "RetireRule.java", "if (pass.decision().mode() != Decision.Mode.CONVERGE) {\n            return;\n        }",
         "if (false) {\n            return;\n        }")],
     PLANS, "aPassThatMayNotActPlansNothing"),
]


def failed_properties(test):
    report = ROOT / f"target/surefire-reports/TEST-dev.etcdvm.operator.{test}.xml"
    if not report.exists():
        return None
    suite = ElementTree.parse(report).getroot()
    return {case.get("name").split("(")[0] for case in suite.iter("testcase")
            if case.find("failure") is not None or case.find("error") is not None}


def run_properties(test):
    (ROOT / f"target/surefire-reports/TEST-dev.etcdvm.operator.{test}.xml").unlink(missing_ok=True)
    subprocess.run(["mvn", "-q", "-B", "-o", "test", "-Dtest=" + test.split(".")[-1],
                    "-Dsurefire.failIfNoSpecifiedTests=false"], cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return failed_properties(test)


def edits_of(mutant):
    guard, first = mutant[0], mutant[1]
    if isinstance(first, list):
        return guard, first, mutant[2], mutant[3]
    return guard, [(first, mutant[2], mutant[3])], mutant[4], mutant[5]


def main():
    # Arguments, when given, pick the mutants whose guard contains one of them (e.g. "quorum guard").
    chosen = [m for m in MUTANTS if len(sys.argv) < 2 or any(a in m[0] for a in sys.argv[1:])]
    for test in (PLANNER, READY, PLANS):
        baseline = run_properties(test)
        if baseline is None or baseline:
            print(f"{test} must pass unmutated first; failing: {baseline}")
            return 1
    missed = []
    for mutant in chosen:
        guard, edits, test, prop = edits_of(mutant)
        originals = {}
        try:
            for file, original, mutated in edits:
                path = ROOT / file
                source = originals.setdefault(path, path.read_text())
                current = path.read_text()
                if current.count(original) != 1:
                    raise LookupError(f"the guard's text is not found exactly once in {file}; update this mutant")
                path.write_text(current.replace(original, mutated))
            failing = run_properties(test)
        except LookupError as e:
            print(f"{guard}: {e}")
            failing = None
        finally:
            for path, source in originals.items():
                path.write_text(source)
        caught = failing is not None and prop in failing
        print(f"{'caught' if caught else 'MISSED'}: {guard} -> {prop} "
              f"(failing: {', '.join(sorted(failing)) if failing else 'none'})")
        if not caught:
            missed.append(guard)
    print(f"{len(chosen) - len(missed)} of {len(chosen)} broken guards caught by a property")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
