// Shapes and labels shared by the consumer pages and their client components (no server code).
export type ConsumerKind = "AGENT" | "TASK_TEMPLATE" | "INTEGRATION_CREDENTIAL";

export const KIND_LABEL: Record<ConsumerKind, string> = {
  AGENT: "Agent",
  TASK_TEMPLATE: "Task template",
  INTEGRATION_CREDENTIAL: "Integration credential",
};

// An agent's instructions are a template like any other, under this variable.
export const INSTRUCTIONS_VARIABLE = "AGENT_INSTRUCTIONS";

export interface TemplateView {
  variable: string;
  template: string;
}

export interface ConsumerView {
  id: string;
  name: string;
  kind: ConsumerKind;
  allowAllSecrets: boolean;
  templates: TemplateView[];
  attachments: { secretName: string; alias: string | null; variable: string; missing: boolean; lastResolvedAt: string | null }[];
}
