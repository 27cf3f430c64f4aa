import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { parse } from 'yaml';
import type { CloudFormationTemplate } from '../preview/manifest-diff.ts';
import type { StackDescription } from './platform-stack.ts';

export class Stacks {
  private readonly client: CloudFormationClient;

  constructor(region: string) {
    this.client = new CloudFormationClient({ region });
  }

  /** The stack, or undefined if it does not exist (yet). */
  async describe(stackName: string): Promise<StackDescription | undefined> {
    try {
      const answer = await this.client.send(new DescribeStacksCommand({ StackName: stackName }));
      return answer.Stacks?.[0];
    } catch (error) {
      if ((error as Error).message?.includes('does not exist')) return undefined;
      throw error;
    }
  }

  /** The template as it was deployed (with its intrinsics), or undefined for a new stack. */
  async deployedTemplate(stackName: string): Promise<CloudFormationTemplate | undefined> {
    try {
      const answer = await this.client.send(
        new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }),
      );
      return answer.TemplateBody
        ? (parse(answer.TemplateBody) as CloudFormationTemplate)
        : undefined;
    } catch (error) {
      if ((error as Error).message?.includes('does not exist')) return undefined;
      throw error;
    }
  }
}
