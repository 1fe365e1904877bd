// What scripts/lib/workflow-parser.mjs bundles with ncc: GitHub's own workflow and action parsers.
export { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
export { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
