// Walks every ZeroMQ lesson against the lab's real libzmq sockets (and the SSH server for the tunnel), with pyzmq (tests/lessons/harness.ts).
import { sshLab } from '../../servers/ssh/lab.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import { describeLessonWalks } from '../lessons/harness.ts';
import { ZMQ_WALKERS } from '../lessons/zmq.walk.ts';

describeLessonWalks('zmq', ZMQ_WALKERS, [sshLab, zmqLab]);
