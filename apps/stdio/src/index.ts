export { runStdioServer, type StdioServerOptions } from './server.js';
