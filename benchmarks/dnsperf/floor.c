/*
 * The floor: the least a DNS server can do per query on this machine. One thread, one epoll set, a UDP socket
 * and a TCP listener on 127.0.0.1:PORT. Every query comes back as its own reply (QR and AA set, RCODE 0,
 * nothing looked up), one system call to read and one to write. compare.sh runs it beside DnsMcs and Knot, so
 * what the kernel, the loopback and the guest's scheduling cost per query and in the latency tail is measured
 * in the same sitting. At a fixed rate, where a wake-up finds one query, a server that answers at once cannot
 * do much less. Unthrottled, where a wake-up finds many, a server that reads and sends more per call (DnsMcs
 * over TCP, Knot with recvmmsg over UDP) can cost less per query than this one.
 *
 *   cc -O2 -o floor floor.c && ./floor PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNECTIONS 4096
#define BUFFER (65535 + 2)

struct connection {
    int fd;
    size_t in_length;
    size_t out_length;
    int waiting_to_write;
    unsigned char in[BUFFER];
    unsigned char out[BUFFER * 2];
};

static struct connection *connections[MAX_CONNECTIONS];

static int listen_on(int type, int port) {
    int fd = socket(AF_INET, type | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || (type == SOCK_STREAM && listen(fd, 1024) != 0)) {
        perror("floor: bind");
        exit(1);
    }
    return fd;
}

/* A query becomes its reply in place: QR and AA set, TC cleared, RCODE 0. A response (QR=1) gets none. */
static int answer(unsigned char *message, size_t length) {
    if (length < 12 || (message[2] & 0x80)) {
        return 0;
    }
    message[2] = (unsigned char)((message[2] | 0x84) & ~0x02);
    message[3] = 0;
    return 1;
}

static void close_connection(int epoll, struct connection *c) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    connections[c->fd] = NULL;
    free(c);
}

/* Writes what is pending; 0 when the connection failed. Whatever the socket does not take waits for EPOLLOUT. */
static void wait_to_write(int epoll, struct connection *c, int wait) {
    if (c->waiting_to_write != wait) {
        struct epoll_event event = { .events = EPOLLIN | (wait ? EPOLLOUT : 0), .data.fd = c->fd };
        epoll_ctl(epoll, EPOLL_CTL_MOD, c->fd, &event);
        c->waiting_to_write = wait;
    }
}

static int flush(int epoll, struct connection *c) {
    while (c->out_length > 0) {
        ssize_t sent = send(c->fd, c->out, c->out_length, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EAGAIN) {
                wait_to_write(epoll, c, 1);
                return 1;
            }
            return 0;
        }
        memmove(c->out, c->out + sent, c->out_length - (size_t)sent);
        c->out_length -= (size_t)sent;
    }
    wait_to_write(epoll, c, 0);
    return 1;
}

/* Reads what arrived, answers every whole frame (RFC 1035 4.2.2 length prefix) in one write. */
static int readable(int epoll, struct connection *c) {
    ssize_t got = recv(c->fd, c->in + c->in_length, sizeof c->in - c->in_length, 0);
    if (got == 0 || (got < 0 && errno != EAGAIN)) {
        return 0;
    }
    if (got > 0) {
        c->in_length += (size_t)got;
    }
    size_t at = 0;
    while (c->in_length - at >= 2) {
        size_t length = ((size_t)c->in[at] << 8) | c->in[at + 1];
        if (c->in_length - at - 2 < length) {
            break;
        }
        if (c->out_length + 2 + length > sizeof c->out) {
            break; /* the client is not reading: stop taking its queries until it does */
        }
        if (answer(c->in + at + 2, length)) {
            memcpy(c->out + c->out_length, c->in + at, 2 + length);
            c->out_length += 2 + length;
        }
        at += 2 + length;
    }
    memmove(c->in, c->in + at, c->in_length - at);
    c->in_length -= at;
    return flush(epoll, c);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor PORT\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int udp = listen_on(SOCK_DGRAM, port);
    int tcp = listen_on(SOCK_STREAM, port);
    int epoll = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = udp };
    epoll_ctl(epoll, EPOLL_CTL_ADD, udp, &event);
    event.data.fd = tcp;
    epoll_ctl(epoll, EPOLL_CTL_ADD, tcp, &event);
    fprintf(stderr, "floor: answering on 127.0.0.1:%d, UDP and TCP\n", port);

    unsigned char datagram[65536];
    struct epoll_event ready[64];
    for (;;) {
        int count = epoll_wait(epoll, ready, 64, -1);
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == udp) {
                for (;;) {
                    struct sockaddr_in from;
                    socklen_t from_length = sizeof from;
                    ssize_t length = recvfrom(udp, datagram, sizeof datagram, 0, (struct sockaddr *)&from, &from_length);
                    if (length < 0) {
                        break;
                    }
                    if (answer(datagram, (size_t)length)) {
                        sendto(udp, datagram, (size_t)length, 0, (struct sockaddr *)&from, from_length);
                    }
                }
            } else if (fd == tcp) {
                int client;
                while ((client = accept4(tcp, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (client >= MAX_CONNECTIONS) {
                        close(client);
                        continue;
                    }
                    int one = 1;
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct connection *c = calloc(1, sizeof *c);
                    c->fd = client;
                    connections[client] = c;
                    struct epoll_event in = { .events = EPOLLIN, .data.fd = client };
                    epoll_ctl(epoll, EPOLL_CTL_ADD, client, &in);
                }
            } else if (connections[fd] != NULL) {
                struct connection *c = connections[fd];
                int alive = (ready[i].events & EPOLLOUT) ? flush(epoll, c) : 1;
                if (alive && (ready[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
                    alive = readable(epoll, c);
                }
                if (!alive) {
                    close_connection(epoll, c);
                }
            }
        }
    }
}
