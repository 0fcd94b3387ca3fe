export { evaluateSegment, type SegmentSubject } from "./evaluate.js";
export {
  ATTRIBUTE_PREFIX,
  ATTRIBUTE_TYPES,
  type AttributeType,
  type FieldGroup,
  type FieldSpec,
  type FieldStorage,
  resolveField,
  SEGMENT_FIELDS,
  type SegmentContext,
} from "./fields.js";
export { joinPath, type SegmentIssue, type SegmentIssueCode } from "./issues.js";
export { SEGMENT_LIMITS } from "./limits.js";
export { type FieldType, matchesUnset, OPERAND_SHAPES, OPERATORS_BY_TYPE, type OperandShape } from "./operators.js";
export {
  conditionSchema,
  type ParseSegmentResult,
  parseSegmentDefinition,
  type SegmentDefinitionInput,
  segmentDefinitionSchema,
  segmentNodeSchema,
} from "./schema.js";
export {
  type Condition,
  type ConditionValue,
  conditionsOf,
  effectiveRules,
  OPERATORS,
  type Operator,
  type Scalar,
  type SegmentDefinition,
  type SegmentNode,
} from "./tree.js";
export { checkTreeSize, validateSegmentRules } from "./validate.js";
