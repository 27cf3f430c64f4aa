/**
 * Where the ADOT collector runs and listens. The order service's chart points
 * `OTEL_EXPORTER_OTLP_ENDPOINT` here, the CDK app creates the namespace, Fargate profile and IRSA
 * account under these names, and the docs quote them: one definition for all of them.
 */
export const adotCollector = {
  name: 'adot-collector',
  namespace: 'observability',
  serviceAccountName: 'adot-collector',
  ports: {
    /** OTLP over gRPC. */
    otlpGrpc: 4317,
    /** OTLP over HTTP (protobuf/JSON): what the Node SDK exports with by default. */
    otlpHttp: 4318,
    /** health_check extension: liveness and readiness. */
    health: 13133,
  },
} as const;

/** In-cluster DNS name of the collector's Service. */
export const adotCollectorHost = `${adotCollector.name}.${adotCollector.namespace}.svc.cluster.local`;

/** `OTEL_EXPORTER_OTLP_ENDPOINT` for services in the cluster (OTLP/HTTP). */
export const adotCollectorOtlpHttpEndpoint = `http://${adotCollectorHost}:${adotCollector.ports.otlpHttp}`;

/**
 * The collector image: AWS Distro for OpenTelemetry, pinned (public ECR, pulled through the NAT
 * gateway: public ECR has no VPC endpoint).
 */
export const adotCollectorImage = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.45.1';
