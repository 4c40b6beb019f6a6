import { authMethods } from './auth.js';
import { chatMethods } from './chat.js';
import type { MethodTable } from './context.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { itemMethods } from './items.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

/** Every Web API method the fake implements, by name. */
export const METHODS: MethodTable = {
  ...authMethods,
  ...conversationMethods,
  ...chatMethods,
  ...itemMethods,
  ...userMethods,
  ...viewMethods,
  ...fileMethods,
};

export type { MethodConfig, MethodContext, MethodHandler, MethodTable } from './context.js';
export { receiveUpload } from './files.js';
