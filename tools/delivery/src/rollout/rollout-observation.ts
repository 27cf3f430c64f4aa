/**
 * What the rollout gate reads, in the shape the APIs answer: the Deployment (GET), its ReplicaSets
 * and Pods (LIST), the TargetGroupBindings of the AWS Load Balancer Controller (LIST), and Elastic
 * Load Balancing's DescribeTargetHealth per target group. Only the fields the gate uses are typed;
 * the recorded answers in fixtures/ are whole API objects.
 */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly uid?: string; readonly kind?: string }[];
  readonly deletionTimestamp?: Date | string;
}

export interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

interface PodTemplate {
  readonly spec?: {
    readonly containers: readonly { readonly name: string; readonly image?: string }[];
  };
}

export interface Deployment {
  readonly metadata?: ObjectMeta;
  readonly spec?: { readonly replicas?: number; readonly template?: PodTemplate };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
    readonly conditions?: readonly Condition[];
  };
}

export interface ReplicaSet {
  readonly metadata?: ObjectMeta;
  readonly spec?: { readonly replicas?: number; readonly template?: PodTemplate };
  readonly status?: { readonly replicas?: number; readonly availableReplicas?: number };
}

export interface ContainerState {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly running?: object;
  readonly terminated?: {
    readonly reason?: string;
    readonly exitCode?: number;
    readonly message?: string;
  };
}

export interface ContainerStatus {
  readonly name: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

export interface Pod {
  readonly metadata?: ObjectMeta;
  readonly status?: {
    readonly phase?: string;
    readonly podIP?: string;
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly ContainerStatus[];
  };
}

export interface TargetGroupBinding {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly targetGroupARN?: string;
    readonly serviceRef?: { readonly name?: string; readonly port?: number | string };
  };
}

export interface TargetHealthDescription {
  readonly Target?: { readonly Id?: string; readonly Port?: number };
  readonly TargetHealth?: {
    readonly State?: string;
    readonly Reason?: string;
    readonly Description?: string;
  };
}

export interface RolloutObservation {
  readonly deployment: Deployment;
  readonly replicaSets: { readonly items: readonly ReplicaSet[] };
  readonly pods: { readonly items: readonly Pod[] };
  readonly targetGroupBindings: { readonly items: readonly TargetGroupBinding[] };
  /** DescribeTargetHealth answers, by target group ARN. */
  readonly targetHealth: Readonly<
    Record<string, { readonly TargetHealthDescriptions?: readonly TargetHealthDescription[] }>
  >;
}

/** What the rollout must end in. */
export interface RolloutExpectation {
  /** The container of the Deployment that runs the service. */
  readonly container: string;
  /** `repository@sha256:…`, the image just deployed. */
  readonly image: string;
  /** The Service whose ALB target groups must hold the new pods. */
  readonly service: string;
}
