import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { orderServiceNamespaceLabels } from '@mallhive/infra-k8s';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ClusterConfig } from '../config/environment-config.ts';
import { ClusterAddOns } from './cluster-add-ons.ts';
import { LoadBalancerControllerPolicy } from './load-balancer-controller-policy.ts';

export interface ClusterProps {
  readonly config: ClusterConfig;
  readonly vpc: ec2.IVpc;
  /** Subnets for pods and the control plane's network interfaces. */
  readonly privateSubnets: ec2.SubnetSelection;
  /** Namespace of the order service: gets its own Fargate profile and pod execution role. */
  readonly serviceNamespace: string;
  /** What happens to the control-plane log group when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/** AWS Load Balancer Controller versions whose IAM policy ships with aws-cdk-lib. */
export const albControllerVersions = {
  '2.17.1': eks.AlbControllerVersion.V2_17_1,
  '3.2.2': eks.AlbControllerVersion.V3_2_2,
} as const;
export type AlbControllerVersionName = keyof typeof albControllerVersions;

/**
 * The EKS Fargate cluster: private API endpoint (optionally public from listed CIDRs), all control-plane
 * logs, Kubernetes secrets envelope-encrypted with a customer key, admin access through an access
 * entry, the AWS Load Balancer Controller, and a Fargate profile plus namespace for the order service.
 */
export class OrderPlatformCluster extends Construct {
  readonly cluster: eks.FargateCluster;
  /** The role Fargate uses to pull images and ship logs for pods in the service namespace. */
  readonly servicePodExecutionRole: iam.Role;
  readonly serviceFargateProfile: eks.FargateProfile;
  /** The service namespace; anything placed in it must depend on this. */
  readonly serviceNamespace: eks.KubernetesManifest;
  /** CoreDNS and metrics-server (EKS add-ons); pods that resolve names must come after them. */
  readonly addOns: ClusterAddOns;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);

    const secretsKey = new kms.Key(this, 'SecretsEncryptionKey', {
      description: `Envelope encryption of Kubernetes secrets in ${config.clusterName}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    this.cluster = new eks.FargateCluster(this, 'Cluster', {
      clusterName: config.clusterName,
      version: eks.KubernetesVersion.of(config.kubernetesVersion),
      vpc: props.vpc,
      vpcSubnets: [props.privateSubnets],
      endpointAccess:
        config.publicApiCidrs.length === 0
          ? eks.EndpointAccess.PRIVATE
          : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...config.publicApiCidrs),
      secretsEncryptionKey: secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(this, 'KubectlLayer') },
      // No patch of a self-managed CoreDNS (there is none, see below): EC2 here only means "leave the
      // deployment alone"; the CoreDNS add-on's computeType puts it on Fargate.
      coreDnsComputeType: eks.CoreDnsComputeType.EC2,
      albController: {
        version: albControllerVersions[config.albControllerVersion as AlbControllerVersionName],
        // Pull from the regional EKS image registry (reached through the ECR endpoint), not us-west-2.
        repository: `602401143452.dkr.ecr.${stack.region}.amazonaws.com/amazon/aws-load-balancer-controller`,
        // No policy here: LoadBalancerControllerPolicy attaches the upstream one, split and narrowed.
        policy: { Version: '2012-10-17', Statement: [] },
      },
      defaultProfile: {
        fargateProfileName: 'system',
        selectors: [{ namespace: 'kube-system' }, { namespace: 'default' }],
        vpc: props.vpc,
        subnetSelection: props.privateSubnets,
      },
    });
    // EKS writes control-plane logs to /aws/eks/<cluster>/cluster ("Send control plane logs to
    // CloudWatch Logs") and would create it without retention: ours exists first.
    const controlPlaneLogs = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${config.clusterName}/cluster`,
      retention: config.controlPlaneLogRetentionDays as logs.RetentionDays,
      removalPolicy: props.removalPolicy,
    });
    this.cluster.node.findChild('Resource').node.addDependency(controlPlaneLogs);
    // No self-managed CoreDNS, kube-proxy or VPC CNI: CoreDNS comes as a versioned EKS add-on
    // (ClusterAddOns), the other two are built into Fargate. (FargateClusterProps lacks the option.)
    (this.cluster.node.findChild('Resource') as eks.CfnCluster).bootstrapSelfManagedAddons = false;
    this.cluster.grantClusterAdmin('PlatformAdmin', config.adminRoleArn);
    this.addOns = new ClusterAddOns(this, 'AddOns', {
      cluster: this.cluster,
      versions: config.addOnVersions,
      systemProfile: this.cluster.defaultProfile!,
    });
    // The controller's pods resolve AWS endpoints through CoreDNS; Helm waits for them to be ready.
    this.cluster.albController?.node.addDependency(this.addOns.coreDns);

    this.servicePodExecutionRole = new iam.Role(this, 'ServicePodExecutionRole', {
      description: `Fargate pod execution role for namespace ${props.serviceNamespace}`,
      assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com', {
        conditions: {
          // Only Fargate profiles of this cluster may use the role (confused-deputy protection).
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'eks',
              resource: 'fargateprofile',
              resourceName: `${config.clusterName}/*`,
            }),
          },
        },
      }),
      maxSessionDuration: Duration.hours(1),
    });

    this.serviceFargateProfile = this.cluster.addFargateProfile('ServiceProfile', {
      fargateProfileName: props.serviceNamespace,
      selectors: [{ namespace: props.serviceNamespace }],
      podExecutionRole: this.servicePodExecutionRole,
      vpc: props.vpc,
      subnetSelection: props.privateSubnets,
    });

    this.serviceNamespace = this.cluster.addManifest('ServiceNamespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      // The chart's labels (restricted Pod Security, ALB readiness gates): the chart does not emit
      // the Namespace when CDK owns it, so the labels come from one place.
      metadata: { name: props.serviceNamespace, labels: { ...orderServiceNamespaceLabels } },
    });
    const albController = this.cluster.albController;
    if (albController) {
      new LoadBalancerControllerPolicy(this, 'LoadBalancerControllerPolicy', {
        controller: albController,
        version: config.albControllerVersion,
        vpcId: props.vpc.vpcId,
      });
    }
    this.acknowledgeCdkManagedComponents();
  }

  /**
   * The kubectl provider and the system Fargate profile are built by aws-cdk-lib with the permissions
   * AWS documents for them; we cannot narrow them without forking. (The Load Balancer Controller's
   * permissions are ours: LoadBalancerControllerPolicy.)
   */
  private acknowledgeCdkManagedComponents(): void {
    const policy = (name: string) =>
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
    Validations.of(this.cluster.node.findChild('Resource')).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason:
        'aws-cdk-lib emits EncryptionConfig.Resources=["secrets"], which the schema marks deprecated; it is still the only value EKS accepts for envelope encryption.',
    });
    const kubectlProvider = this.cluster.node.findChild('KubectlProvider');
    Validations.of(kubectlProvider).acknowledge(
      {
        id: policy('service-role/AWSLambdaBasicExecutionRole'),
        reason: 'CDK kubectl handler and its provider framework write their own CloudWatch logs.',
      },
      {
        id: policy('service-role/AWSLambdaVPCAccessExecutionRole'),
        reason:
          'The kubectl handler runs in the VPC to reach the private API endpoint; it needs ENI management.',
      },
      {
        id: policy('AmazonEC2ContainerRegistryReadOnly'),
        reason: 'CDK kubectl handler pulls Helm charts from OCI registries (ECR) when asked to.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic6FE395CA",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
        reason:
          'CDK adds ECR Public read-only only where ECR Public exists, for public Helm chart pulls.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::<ClusterKubectlProviderHandler93C0312D.Arn>:*]',
        reason:
          'Provider framework invokes the kubectl handler and its versions (Arn:*), nothing else.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'Runtime of the kubectl handler is pinned by aws-cdk-lib to match the kubectl layer.',
      },
    );
    Validations.of(this.cluster.defaultProfile).acknowledge({
      id: policy('AmazonEKSFargatePodExecutionRolePolicy'),
      reason:
        'System profile (CoreDNS, controllers) pulls AWS-owned images from regional ECR accounts; the AWS policy is the documented way.',
    });
    Validations.of(this.cluster.node.findChild('Role')).acknowledge({
      id: policy('AmazonEKSClusterPolicy'),
      reason:
        'The EKS control-plane service role requires this AWS managed policy (EKS user guide).',
    });
  }
}
