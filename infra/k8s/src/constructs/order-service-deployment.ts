import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import {
  Capability,
  Cpu,
  Deployment,
  DeploymentStrategy,
  Env,
  Handler,
  ImagePullPolicy,
  LabelSelector,
  PercentOrAbsolute,
  Probe,
  SeccompProfileType,
  ServiceAccount,
  Volume,
  k8s,
  type ConfigMap,
} from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { imageReference } from '../image-reference.ts';
import type { OrderServiceChartProps } from '../order-service-chart-props.ts';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName, podSelectorLabels } from './labels.ts';
import { podCreationAnnotations } from './pod-creation-inputs.ts';
import { podLifecycleTimings } from './pod-lifecycle-timings.ts';

export interface OrderServiceDeploymentProps {
  readonly chartProps: OrderServiceChartProps;
  readonly configMap: ConfigMap;
}

const containerPath = '/spec/template/spec/containers/0';

/** A rollout starts this share of the desired pods on top (so the database sees them too). */
export const rolloutSurgeFraction = 0.25;

/**
 * The order service pods: restricted security context, probes on the named port, requests equal to
 * limits (Fargate sizes the pod from them), and a rollout that never drops below the desired count.
 */
export class OrderServiceDeployment extends Construct {
  readonly deployment: Deployment;

  constructor(scope: Construct, id: string, props: OrderServiceDeploymentProps) {
    super(scope, id);
    const { chartProps, configMap } = props;
    const timings = podLifecycleTimings(chartProps.runtime.shutdownTimeoutMs);
    const cpu = Cpu.millis(chartProps.resources.cpuMillis);
    const memory = Size.mebibytes(chartProps.resources.memoryMebibytes);
    const probePort = { port: orderService.port };

    this.deployment = new Deployment(this, 'Deployment', {
      metadata: { name: orderService.name, namespace: namespaceName },
      // Stable, human-chosen selector instead of the construct-path label (see labels.ts).
      select: false,
      podMetadata: {
        labels: { ...commonLabels(chartProps.envName) },
        // Replace the pods when anything they take in only at creation changes.
        annotations: podCreationAnnotations({
          securityGroupIds: chartProps.podSecurityGroupIds,
          serviceAccountName: chartProps.serviceAccountName,
          serviceAccountRoleArn: chartProps.serviceAccountRoleArn,
          fargateLoggingConfig: chartProps.fargateLoggingConfig,
          environment: configMap.data,
        }),
      },
      // The IRSA service account is created by CDK; referencing it here never redefines it.
      serviceAccount: ServiceAccount.fromServiceAccountName(
        this,
        'ServiceAccount',
        chartProps.serviceAccountName,
        { namespaceName },
      ),
      // No Kubernetes API token: the service never calls the API server. IRSA does not need it — the EKS
      // Pod Identity webhook adds its own projected web-identity volume (see the chart test).
      automountServiceAccountToken: false,
      securityContext: {
        ensureNonRoot: true,
        user: orderService.uid,
        group: orderService.gid,
        fsGroup: orderService.gid,
      },
      terminationGracePeriod: Duration.seconds(timings.terminationGracePeriodSeconds),
      strategy: DeploymentStrategy.rollingUpdate({
        maxSurge: PercentOrAbsolute.percent(rolloutSurgeFraction * 100),
        maxUnavailable: PercentOrAbsolute.absolute(0),
      }),
      minReady: Duration.seconds(5),
      progressDeadline: Duration.minutes(10),
    });
    this.deployment.select(LabelSelector.of({ labels: { ...podSelectorLabels } }));

    const tmp = Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(256) });
    this.deployment.addContainer({
      name: orderService.name,
      image: imageReference(chartProps.image),
      imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
      ports: [
        { name: orderService.portName, number: orderService.port },
        { name: orderService.metricsPortName, number: orderService.metricsPort },
      ],
      envFrom: [Env.fromConfigMap(configMap)],
      volumeMounts: [{ volume: tmp, path: '/tmp' }],
      resources: {
        cpu: { request: cpu, limit: cpu },
        memory: { request: memory, limit: memory },
      },
      securityContext: {
        ensureNonRoot: true,
        user: orderService.uid,
        group: orderService.gid,
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [Capability.ALL] },
        seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT },
      },
      // Start-up fetches secrets and runs migrations: allow up to 60 s before liveness takes over.
      startup: Probe.fromHttpGet(orderService.routes.health, {
        ...probePort,
        periodSeconds: Duration.seconds(2),
        failureThreshold: 30,
        timeoutSeconds: Duration.seconds(2),
      }),
      // /readyz turns 503 at SIGTERM and when the database is unreachable: leave the ALB quickly.
      readiness: Probe.fromHttpGet(orderService.routes.readiness, {
        ...probePort,
        periodSeconds: Duration.seconds(5),
        failureThreshold: 2,
        timeoutSeconds: Duration.seconds(2),
      }),
      // Liveness only asks "is the process alive": a database outage must not restart every pod.
      liveness: Probe.fromHttpGet(orderService.routes.health, {
        ...probePort,
        periodSeconds: Duration.seconds(10),
        failureThreshold: 3,
        timeoutSeconds: Duration.seconds(3),
      }),
      lifecycle: {
        // An exec hook: the 1.28 types drop the native `sleep` action.
        preStop: Handler.fromCommand(['sleep', String(timings.preStopSleepSeconds)]),
      },
    });

    const resource = ApiObject.of(this.deployment);
    // cdk8s-plus takes numeric probe ports; point them at the named port so a port change is one edit.
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      resource.addJsonPatch(
        // An IntOrString instance: the generated types re-serialise the patched object and drop plain strings.
        JsonPatch.replace(
          `${containerPath}/${probe}/httpGet/port`,
          k8s.IntOrString.fromString(orderService.portName),
        ),
      );
    }
    resource.addJsonPatch(
      // Pod-level seccomp too: Pod Security Admission `restricted` checks it on the pod or every container.
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', {
        type: 'RuntimeDefault',
      }),
    );
    // No topologySpreadConstraints: Fargate ignores them (docs/infrastructure.md, "Zones").
  }
}
