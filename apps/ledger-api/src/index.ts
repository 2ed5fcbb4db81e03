export * from './config';
export * from './stores';
export * from './server';
export { AppModule } from './app.module';
