import {
  NetworkPolicy,
  NetworkPolicyIpBlock,
  NetworkPolicyPort,
  NetworkPolicyTrafficDefault,
  Namespaces,
  Pods,
  type INetworkPolicyPeer,
} from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { NetworkRanges } from '../order-service-chart-props.ts';
import { kafkaPorts, orderService, peerServices, postgresPort } from '../service-contract.ts';
import { adotCollector } from '../observability/collector-contract.ts';
import { namespaceName, podSelectorLabels } from './labels.ts';

const namespaceNameLabel = 'kubernetes.io/metadata.name';

export interface OrderServiceNetworkPolicyProps {
  readonly network: NetworkRanges;
  /** Kafka egress only when the event bus is Kafka. */
  readonly usesKafka: boolean;
  /** OTLP egress to the ADOT collector only when tracing is on. */
  readonly tracesToCollector?: boolean;
}

/**
 * Default deny plus exactly the traffic the service needs. Kept for portability and for clusters
 * with EC2 nodes: on Fargate it is NOT enforced; the SecurityGroupPolicy is (see docs/operations.md).
 */
export class OrderServiceNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: OrderServiceNetworkPolicyProps) {
    super(scope, id);
    const { network } = props;
    const http = [NetworkPolicyPort.tcp(orderService.port)];
    const cidrs = (name: string, list: readonly string[]): INetworkPolicyPeer[] =>
      list.map((cidr, index) => NetworkPolicyIpBlock.ipv4(this, `${name}${index}`, cidr));
    // One peer per namespace: the scraper's namespace may also be a destination (the collector).
    const namespaces = new Map<string, INetworkPolicyPeer>();
    const namespace = (name: string): INetworkPolicyPeer => {
      const peer =
        namespaces.get(name) ??
        Namespaces.select(this, `Namespace-${name}`, { labels: { [namespaceNameLabel]: name } });
      namespaces.set(name, peer);
      return peer;
    };

    const policy = new NetworkPolicy(this, 'Policy', {
      metadata: { name: orderService.name, namespace: namespaceName },
      selector: Pods.select(this, 'OrderServicePods', { labels: { ...podSelectorLabels } }),
      ingress: { default: NetworkPolicyTrafficDefault.DENY },
      egress: { default: NetworkPolicyTrafficDefault.DENY },
    });

    // Ingress: the ALB (target type ip, so from its subnets) and the Prometheus scraper.
    for (const peer of cidrs('Alb', network.albSubnetCidrs)) policy.addIngressRule(peer, http);
    policy.addIngressRule(namespace(network.monitoringNamespace), [
      NetworkPolicyPort.tcp(orderService.metricsPort),
    ]);

    // Egress: cluster DNS.
    policy.addEgressRule(
      Pods.select(this, 'CoreDns', {
        labels: { 'k8s-app': 'kube-dns' },
        namespaces: Namespaces.select(this, 'KubeSystem', {
          labels: { [namespaceNameLabel]: 'kube-system' },
        }),
      }),
      [NetworkPolicyPort.udp(53), NetworkPolicyPort.tcp(53)],
    );
    for (const peer of cidrs('Database', network.databaseCidrs)) {
      policy.addEgressRule(peer, [NetworkPolicyPort.tcp(postgresPort)]);
    }
    // STS (IRSA), Secrets Manager, EventBridge and CloudWatch through interface endpoints.
    for (const peer of cidrs('AwsEndpoints', network.awsEndpointCidrs)) {
      policy.addEgressRule(peer, [NetworkPolicyPort.tcp(443)]);
    }
    // The identity provider's JWKS (Cognito's public endpoint, through NAT; docs/security.md).
    for (const peer of cidrs('IdentityProvider', network.identityProviderCidrs)) {
      policy.addEgressRule(peer, [NetworkPolicyPort.tcp(443)]);
    }
    if (props.usesKafka) {
      for (const peer of cidrs('Kafka', network.kafkaCidrs)) {
        policy.addEgressRule(
          peer,
          kafkaPorts.map((port) => NetworkPolicyPort.tcp(port)),
        );
      }
    }
    for (const peer of Object.values(peerServices)) {
      policy.addEgressRule(namespace(peer.namespace), [NetworkPolicyPort.tcp(peer.port)]);
    }
    if (props.tracesToCollector) {
      policy.addEgressRule(namespace(adotCollector.namespace), [
        NetworkPolicyPort.tcp(adotCollector.ports.otlpHttp),
        NetworkPolicyPort.tcp(adotCollector.ports.otlpGrpc),
      ]);
    }
  }
}
