export interface ScriptFinding { rule: string; severity: string; range: import("./parse").Range; message: string; fixes: { title: string }[] }
