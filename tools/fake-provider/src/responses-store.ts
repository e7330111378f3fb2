/**
 * The responses one fake instance stored (OpenAI keeps every response unless the request says `store:
 * false`), for `GET /v1/responses/{id}`, `DELETE` and `previous_response_id`. Bounded like the request log:
 * the oldest goes first, so a long benchmark cannot grow the fake without limit.
 */
export class ResponsesStore {
  private readonly responses = new Map<string, Record<string, unknown>>();

  constructor(private readonly limit = 1000) {}

  save(response: Record<string, unknown>): void {
    const id = response.id as string;
    this.responses.delete(id);
    this.responses.set(id, response);
    if (this.responses.size > this.limit) this.responses.delete(this.responses.keys().next().value as string);
  }

  find(id: string): Record<string, unknown> | undefined {
    return this.responses.get(id);
  }

  delete(id: string): boolean {
    return this.responses.delete(id);
  }

  clear(): void {
    this.responses.clear();
  }
}
