# Targets read like the work. Maven does the building; the testbed script owns the machines.
MVN      ?= mvn -B
TESTBED  := src/testbed/testbed.sh
N        ?= 3
BACKUP   ?=
CRD_FILE := etcdvmclusters.etcdvm.dev-v1.yml
IMAGE    ?= etcd-vm-operator:0.1.0

.PHONY: build test unit e2e crds run deploy undeploy image demo demo-down bench mutants \
        testbed-deps testbed-up testbed-down testbed-status clean

build:            ## compile, generate the CRD, package the jar and its libraries
	$(MVN) -DskipTests package

test: testbed-deps ## the whole suite: unit tests, then real-machine tests on the testbed
	$(MVN) verify

unit:             ## fast tests only (no machines)
	$(MVN) test

e2e:              ## real-machine tests only
	$(MVN) verify -Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false

mutants:          ## break each planner guard in turn and show the property that catches it (a few minutes)
	$(MVN) -q -DskipTests test-compile
	python3 src/test/mutants/mutants.py

crds:             ## regenerate crds/ from the Java API types
	$(MVN) -q -DskipTests process-classes
	cp target/classes/META-INF/fabric8/$(CRD_FILE) crds/$(CRD_FILE)

run: build        ## run the operator against the current KUBECONFIG
	java -jar target/etcd-vm-operator-0.1.0-SNAPSHOT.jar

deploy:           ## install CRD, namespace, RBAC and Deployment on the current cluster
	kubectl apply -f crds/$(CRD_FILE)
	kubectl apply -f deploy/namespace.yaml -f deploy/rbac.yaml -f deploy/deployment.yaml

undeploy:
	kubectl delete --ignore-not-found -f deploy/deployment.yaml -f deploy/rbac.yaml
	kubectl delete --ignore-not-found -f crds/$(CRD_FILE)

image: build      ## container image (needs a Docker engine)
	docker build -f deploy/Dockerfile -t $(IMAGE) .

demo: testbed-deps ## machines + mirror + in-process API server + operator; leaves the cluster running (BACKUP=1: and a snapshot into the testbed's S3 store)
	@$(TESTBED) up $(N)
	@$(MVN) -q -Dstyle.color=never -DskipTests test-compile exec:java -Dexec.classpathScope=test \
	    -Dexec.mainClass=dev.etcdvm.operator.demo.Demo -Dexec.cleanupDaemonThreads=false -Ddemo.backup=$(BACKUP)

demo-down:
	$(TESTBED) down

bench: testbed-deps ## apply->Ready against the same steps by hand; upgrade and CA rotation timings; backup memory and speed
	$(TESTBED) up 3
	$(MVN) -q -DskipTests test-compile exec:java -Dexec.classpathScope=test \
	    -Dexec.mainClass=dev.etcdvm.operator.bench.BootstrapBench -Dexec.cleanupDaemonThreads=false
	$(MVN) -q -DskipTests exec:java -Dexec.classpathScope=test \
	    -Dexec.mainClass=dev.etcdvm.operator.bench.RolloutBench -Dexec.cleanupDaemonThreads=false
	# A small heap, so what the heap grows by is what streaming needs, not garbage a large heap lets pile up.
	MAVEN_OPTS=-Xmx256m $(MVN) -q -DskipTests exec:java -Dexec.classpathScope=test \
	    -Dexec.mainClass=dev.etcdvm.operator.bench.BackupBench -Dexec.cleanupDaemonThreads=false

testbed-deps:     ## install the testbed's Debian packages when missing (root)
	@$(TESTBED) check >/dev/null 2>&1 || $(TESTBED) deps

testbed-up: testbed-deps
	$(TESTBED) up $(N)

testbed-down:
	$(TESTBED) down

testbed-status:
	$(TESTBED) status

clean:
	$(MVN) -q clean
