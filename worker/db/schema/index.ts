export * from './channels.ts';
export * from './chatbots.ts';
export * from './conversations.ts';
export * from './credentials.ts';
export * from './keys.ts';
export * from './teams.ts';
