import {
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  type GraphQLNamedType,
  isListType,
  isObjectType,
  isInterfaceType,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed (`{ a { b } }` is 2). */
  maxDepth: number;
  /** Highest cost allowed: each field costs 1, and a list field's selections count `listFactor` times. */
  maxCost: number;
  /** Items a list is assumed to hold when costing (pupil lists are long). */
  listFactor: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 3000, listFactor: 10 };

interface Measure {
  depth: number;
  cost: number;
}

/**
 * A validation rule that refuses documents deeper or costlier than the limits, before anything
 * runs. Introspection fields (`__schema`, `__type`) are not counted: introspection is off in
 * production, and its standard query is deeper than any Rollbook query.
 */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
    }
    const schema = context.getSchema();

    const measure = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, depth: number, seen: Set<string>): Measure => {
      let deepest = depth;
      let cost = 0;
      for (const selection of set.selections) {
        if (selection.kind === 'Field') {
          const name = selection.name.value;
          if (name.startsWith('__')) continue;
          const fields = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields() : undefined;
          const type = fields?.[name]?.type;
          const isList = type !== undefined && isListType(getNullableType(type));
          const child = selection.selectionSet
            ? measure(selection.selectionSet, type ? getNamedType(type) : undefined, depth + 1, seen)
            : { depth: depth + 1, cost: 0 };
          deepest = Math.max(deepest, child.depth);
          cost += 1 + (isList ? limits.listFactor : 1) * child.cost;
        } else {
          let inner: SelectionSetNode | undefined;
          let typeName: string | undefined;
          if (selection.kind === 'InlineFragment') {
            inner = selection.selectionSet;
            typeName = selection.typeCondition?.name.value;
          } else {
            const name = selection.name.value;
            // A fragment cycle is reported by GraphQL's own rules; do not loop on it here.
            if (seen.has(name)) continue;
            const fragment = fragments.get(name);
            inner = fragment?.selectionSet;
            typeName = fragment?.typeCondition.name.value;
            seen = new Set([...seen, name]);
          }
          if (!inner) continue;
          const child = measure(inner, typeName ? schema.getType(typeName) ?? undefined : parent, depth, seen);
          deepest = Math.max(deepest, child.depth);
          cost += child.cost;
        }
      }
      return { depth: deepest, cost };
    };

    return {
      OperationDefinition(operation) {
        const root =
          operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
        const { depth, cost } = measure(operation.selectionSet, root ?? undefined, 0, new Set());
        if (depth > limits.maxDepth) {
          context.reportError(new GraphQLError(`This query is nested ${depth} levels deep; the limit is ${limits.maxDepth}.`, { nodes: [operation] }));
        }
        if (cost > limits.maxCost) {
          context.reportError(new GraphQLError(`This query would cost ${cost}; the limit is ${limits.maxCost}. Ask for fewer fields or split it.`, { nodes: [operation] }));
        }
      },
    };
  };
}
