/** A row read back from the database does not have the shape the bot wrote: refused, never cast. */
export class StoredRecordError extends Error {
  constructor(what: string, id: string, detail: string) {
    super(`${what} ${id} has an unreadable stored shape (${detail}); fix or delete the row`);
    this.name = 'StoredRecordError';
  }
}
