import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AlbAccessLogs, IngressProps } from '../order-service-chart-props.ts';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName } from './labels.ts';

export interface OrderServiceIngressProps {
  readonly envName: string;
  readonly ingress: IngressProps;
  readonly serviceName: string;
  readonly albDeregistrationDelaySeconds: number;
}

/** TLS 1.3 with 1.2 fallback, forward secrecy only (the current AWS recommendation). */
export const albSslPolicy = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Annotations for the AWS Load Balancer Controller (an internal ALB shared through `group.name`). */
export function albAnnotations(props: OrderServiceIngressProps): Record<string, string> {
  return {
    'alb.ingress.kubernetes.io/scheme': 'internal',
    // Fargate pods have no node port: the ALB must target pod IPs.
    'alb.ingress.kubernetes.io/target-type': 'ip',
    'alb.ingress.kubernetes.io/group.name': props.ingress.groupName,
    // The platform's ALB group, which the pods' group admits; the controller adds no rules of its own.
    'alb.ingress.kubernetes.io/security-groups': props.ingress.securityGroupId,
    'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
    'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
    // Port 80 exists only to redirect to 443.
    'alb.ingress.kubernetes.io/ssl-redirect': '443',
    'alb.ingress.kubernetes.io/certificate-arn': props.ingress.certificateArn,
    'alb.ingress.kubernetes.io/ssl-policy': albSslPolicy,
    'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
    'alb.ingress.kubernetes.io/healthcheck-path': orderService.routes.readiness,
    'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
    'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '10',
    'alb.ingress.kubernetes.io/healthy-threshold-count': '2',
    'alb.ingress.kubernetes.io/unhealthy-threshold-count': '2',
    'alb.ingress.kubernetes.io/success-codes': '200',
    'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${props.albDeregistrationDelaySeconds}`,
    // Group-wide settings: every Ingress of the group must carry the same values.
    'alb.ingress.kubernetes.io/load-balancer-name': props.ingress.loadBalancerName,
    ...(props.ingress.accessLogs
      ? {
          'alb.ingress.kubernetes.io/load-balancer-attributes': accessLogAttributes(
            props.ingress.accessLogs,
          ),
        }
      : {}),
  };
}

/** Load balancer attributes that turn on access logs (ELB "Enable access logs for your ALB"). */
export function accessLogAttributes(accessLogs: AlbAccessLogs): string {
  return [
    'access_logs.s3.enabled=true',
    `access_logs.s3.bucket=${accessLogs.bucketName}`,
    `access_logs.s3.prefix=${accessLogs.prefix}`,
  ].join(',');
}

/** The internal HTTPS entry point at the service's host name. */
export class OrderServiceIngress extends Construct {
  constructor(scope: Construct, id: string, props: OrderServiceIngressProps) {
    super(scope, id);
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: {
        name: orderService.name,
        namespace: namespaceName,
        labels: commonLabels(props.envName),
        annotations: albAnnotations(props),
      },
      spec: {
        ingressClassName: 'alb',
        rules: [
          {
            host: props.ingress.host,
            http: {
              // The API only: probes, /metrics and the API docs are for the cluster, not for callers.
              paths: [
                {
                  path: orderService.routes.api,
                  pathType: 'Prefix',
                  backend: {
                    service: { name: props.serviceName, port: { name: orderService.portName } },
                  },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
