package dev.etcdvm.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmCluster;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterSpec;
import dev.etcdvm.operator.api.v1alpha1.EtcdVmClusterStatus;
import dev.etcdvm.operator.provision.HostFacts;
import dev.etcdvm.operator.provision.MemberPlan;
import dev.etcdvm.operator.provision.Preflight;
import dev.etcdvm.operator.reconciler.act.Executor;
import dev.etcdvm.operator.reconciler.act.Report;
import dev.etcdvm.operator.reconciler.act.Target;
import dev.etcdvm.operator.reconciler.decide.Decision;
import dev.etcdvm.operator.reconciler.decide.Fitness;
import dev.etcdvm.operator.reconciler.decide.MemberMatch;
import dev.etcdvm.operator.reconciler.kube.SecretReader;
import dev.etcdvm.operator.reconciler.machines.ClusterAccess;
import dev.etcdvm.operator.reconciler.observe.EtcdView;
import dev.etcdvm.operator.reconciler.observe.ObservedCluster;
import dev.etcdvm.operator.reconciler.pass.Effects;
import dev.etcdvm.operator.reconciler.pass.Pass;
import dev.etcdvm.operator.reconciler.plan.Action;
import dev.etcdvm.operator.reconciler.plan.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout's rules, checked on the compiled classes: library confinement, layering, no cycles. */
class ArchitectureTest {
    private static final String BASE = "dev.etcdvm.operator";
    private static final String ROOT = BASE + ".reconciler";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);

    /** Each third-party library that touches the outside world is used by exactly one package. */
    static ArchRule confined(String library, String owner) {
        return noClasses().that().resideOutsideOfPackage(BASE + "." + owner + "..")
                .should().dependOnClassesThat().resideInAPackage(library + "..")
                .as("only " + owner + " uses " + library);
    }

    static final ArchRule[] CONFINEMENT = {
        confined("org.apache.sshd", "ssh"),
        confined("org.bouncycastle", "pki"),
        confined("io.etcd.jetcd", "etcd"),
        confined("io.grpc", "etcd"),
        confined("io.netty", "etcd"),
        confined("software.amazon.awssdk", "objectstore"),
        confined("com.cronutils", "schedule"),
        confined("io.micrometer", "metrics"),
        confined("io.javaoperatorsdk.operator.monitoring", "metrics"),
    };

    @Test
    void librariesStayInsideTheirPackages() {
        for (ArchRule rule : CONFINEMENT) {
            rule.check(MAIN);
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void nothingBelowTheReconcilerRootDependsOnIt() {
        noClasses().that().resideInAPackage(BASE + "..").and().resideOutsideOfPackage(ROOT)
                .and().resideOutsideOfPackage(BASE)
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(MAIN);
    }

    @Test
    void theMachineLayersKnowNothingOfReconciliation() {
        noClasses().that().resideInAnyPackage(BASE + ".ssh..", BASE + ".pki..", BASE + ".etcd..",
                        BASE + ".provision..", BASE + ".api..", BASE + ".config..", BASE + ".timing..",
                        BASE + ".schedule..", BASE + ".objectstore..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "..")
                .check(MAIN);
    }

    @Test
    void theReconcilerRootStaysSmall() {
        assertThat(MAIN.stream().filter(c -> c.getPackageName().equals(ROOT) && c.isTopLevelClass())
                .map(JavaClass::getSimpleName)).hasSizeLessThanOrEqualTo(6);
    }

    /**
     * A pass builds its context once: only the pass builder pairs members (and the pass itself, when a step
     * saw etcd again after changing it), resolves access and checks fitness.
     */
    @Test
    void thePassContextIsBuiltInOnePlace() {
        noClasses().that().doNotHaveSimpleName("PassBuilder").and().doNotHaveSimpleName("Pass")
                .should().callMethod(MemberMatch.class, "of", EtcdVmCluster.class, EtcdView.class)
                .check(MAIN);
        noClasses().that().doNotHaveSimpleName("PassBuilder")
                .should().callMethod(Fitness.class, "of", Map.class, ObservedCluster.class)
                .check(MAIN);
        noClasses().that().doNotHaveSimpleName("PassBuilder").and().doNotHaveSimpleName("DeletionCleanup")
                .should().callMethod(ClusterAccess.class, "forCluster", EtcdVmCluster.class, SecretReader.class)
                .check(MAIN);
        noClasses().that().doNotHaveSimpleName("Fitness")
                .should().callMethod(Preflight.class, "check", MemberPlan.class, HostFacts.class)
                .check(MAIN);
    }

    /**
     * Executors carry out what their action says: they read neither the spec nor status, nor the pass's facts or
     * decision they were planned from (a precondition that no longer holds is the runner's to report).
     */
    @Test
    void executorsDecideNothing() {
        classes().that().resideInAPackage(ROOT + ".act").and().areTopLevelClasses().and().areNotInterfaces()
                .and().haveSimpleNameEndingWith("Executor")
                .should().implement(Executor.class).check(MAIN);
        EXECUTORS_DECIDE_NOTHING.check(MAIN);
    }

    static final ArchRule EXECUTORS_DECIDE_NOTHING = noClasses().that().implement(Executor.class)
            .should().callMethod(EtcdVmCluster.class, "getSpec")
            .orShould().callMethod(EtcdVmCluster.class, "getStatus")
            .orShould().dependOnClassesThat().belongToAnyOf(EtcdVmClusterSpec.class, EtcdVmClusterStatus.class,
                    Pass.class, Decision.class, ObservedCluster.class, MemberMatch.class, Fitness.class)
            .orShould().dependOnClassesThat().resideInAnyPackage(ROOT + ".validation..", ROOT + ".status..")
            .as("executors read no spec, status, facts or decision beyond their action");

    /** Control: the executor rule fires on an executor that looks at the spec to decide. */
    @Test
    void anExecutorThatReadsTheSpecIsDetected() {
        JavaClasses offender = new ClassFileImporter().importClasses(DecidingExecutor.class);
        assertThatThrownBy(() -> EXECUTORS_DECIDE_NOTHING.check(offender))
                .isInstanceOf(AssertionError.class).hasMessageContaining("DecidingExecutor");
    }

    static final class DecidingExecutor implements Executor<Action.Snapshot> {
        @Override
        public Class<Action.Snapshot> handles() {
            return Action.Snapshot.class;
        }

        @Override
        public Report execute(Action.Snapshot action, Target target) {
            if (target.cluster().getSpec().getBackup() == null) {
                return new Report(new Outcome.Done("skipped"), Effects.NONE);
            }
            return new Report(new Outcome.Done("taken"), Effects.NONE);
        }
    }

    /** Control: the confinement rule does fire on a class outside pki that uses Bouncy Castle. */
    @Test
    void aCrossingDependencyIsDetected() {
        JavaClasses offender = new ClassFileImporter().importClasses(Offender.class);
        assertThatThrownBy(() -> confined("org.bouncycastle", "pki").check(offender))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Offender");
    }

    static final class Offender {
        Object name() {
            return new org.bouncycastle.asn1.x500.X500Name("CN=x");
        }
    }
}
