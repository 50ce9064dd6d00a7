/**
 * `ganbox`: the command line, a thin shell over the library. Each command lives in its own file;
 * this one wires them up and turns errors into one sentence and an exit code.
 */
import { Command, CommanderError } from 'commander';
import { GanboxError } from '../src/errors.js';
import { trainCommand } from './train.js';
import { sampleCommand } from './sample.js';
import { exportCommand } from './export.js';
import { theoryCommand } from './theory.js';
import { fidCommand } from './fid.js';
import { isCommand } from './is.js';
import { kidCommand } from './kid.js';
import { prdcCommand } from './prdc.js';
import { statsCommand } from './stats.js';
import { featuresCommand } from './features.js';
import { evalCommand } from './eval.js';
import { io } from './io.js';
import { reportCommand } from './report.js';
import { playgroundCommand } from './playground.js';
import { translateCommand } from './translate.js';

export function buildProgram(): Command {
  const program = new Command('ganbox')
    .description('Train, sample and evaluate Generative Adversarial Networks on TensorFlow.js')
    .version('0.1.0', '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: false })
    .exitOverride();
  program.addCommand(trainCommand());
  program.addCommand(sampleCommand());
  program.addCommand(exportCommand());
  program.addCommand(theoryCommand());
  for (const c of [fidCommand(), isCommand(), kidCommand(), prdcCommand(), statsCommand(), featuresCommand(), evalCommand()]) program.addCommand(c);
  program.addCommand(reportCommand());
  program.addCommand(playgroundCommand());
  program.addCommand(translateCommand());
  // One line per error: commander puts its "(Did you mean …?)" hint on a line of its own.
  const output = { writeErr: (text: string) => io.err(text.replace(/\n(?=\(Did you mean)/, ' ')) };
  program.configureOutput(output);
  for (const c of program.commands) c.exitOverride().showSuggestionAfterError(true).configureOutput(output);
  return program;
}

/** Run the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode; // commander has printed its message
    if (err instanceof GanboxError) {
      io.err(`error: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`ganbox internal error (please report it): ${(err as Error)?.stack ?? String(err)}\n`);
    return 70;
  }
}
