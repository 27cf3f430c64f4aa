/**
 * A bearer key is sent in clear over plain HTTP. In production that is allowed only to a Service inside
 * the cluster (`<name>.<namespace>.svc[.cluster.local]`), whose traffic stays in the VPC between pods that
 * security groups admit; anywhere else the peer must be reached over https://, where the certificate is
 * verified. The analytics service in the cluster speaks plain HTTP only (docs/security.md).
 */
const CLUSTER_SERVICE_HOST = /^[a-z0-9-]+\.[a-z0-9-]+\.svc(\.cluster\.local)?$/;

export function plaintextBearerProblem(url: string): string | undefined {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || CLUSTER_SERVICE_HOST.test(hostname)) return undefined;
  return `must be an https:// URL in production (it carries a bearer key), unless it names a Service inside the cluster (….svc.cluster.local)`;
}
