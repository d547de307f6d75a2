import { Names, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Construct, RootConstruct, type IConstruct } from 'constructs';

/**
 * Constructs whose own id does not count in the logical IDs of the resources inside them: a
 * resource at `Stack/Concern/Queue` gets the ID CDK gives `Stack/Queue`.
 *
 * The stateless stack was first written flat, every resource a direct child of the stack, and was
 * split into constructs later. CloudFormation replaces a resource whose logical ID changes (the
 * RETAINed user pool would be orphaned with every staff account, a log group would lose its
 * logs), so the stack registers its constructs here and allocates logical IDs as before. Resources
 * added later get IDs without the construct's id too; CDK refuses a duplicate ID at synth.
 */
export class TransparentScopes {
  private readonly scopes = new Set<IConstruct>();

  add<T extends IConstruct>(scope: T): T {
    this.scopes.add(scope);
    return scope;
  }

  /** The logical ID of `element` in `stack` without the transparent scopes on its path, or undefined when none is on it. */
  logicalIdOf(stack: Stack, element: CfnElement): string | undefined {
    const path = element.node.scopes.slice(element.node.scopes.indexOf(stack) + 1);
    if (!path.some((scope) => this.scopes.has(scope))) return undefined;
    return uniqueIdOf(path.filter((scope) => !this.scopes.has(scope)).map((scope) => scope.node.id));
  }
}

/**
 * CDK's own logical ID of a path below a stack (the readable path without `Default` and `Resource`,
 * then a hash of the path), reached through its public API: the unique id of a construct at that
 * path under a bare root, which is what Stack.allocateLogicalId computes from the path below the stack.
 */
function uniqueIdOf(ids: readonly string[]): string {
  let scope: Construct = new RootConstruct();
  for (const id of ids) scope = new Construct(scope, id);
  return Names.nodeUniqueId(scope.node);
}
